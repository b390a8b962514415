using System.Text.Json;

namespace Lading.Tests.Fixtures;

/// <summary>
/// A Kubernetes cluster as a package's install.sh sees it, without an API server (none can run here): kubectl is a
/// stand-in that keeps configmaps in a JSON file and records every call; helm is the real helm 3 for template, lint,
/// show and version, and a recording stand-in for upgrade, status and uninstall that keeps its releases in a file.
/// </summary>
public sealed class SiteCluster
{
    private const string Kubectl = """
        import json, os, re, sys

        args = sys.argv[1:]
        with open(os.environ["CALLS"], "a") as log:
            log.write("kubectl " + " ".join(args) + "\n")
        path = os.environ["KUBE_STORE"]
        store = json.load(open(path)) if os.path.exists(path) else {}


        def option(*names):
            for i, arg in enumerate(args):
                for name in names:
                    if arg == name and i + 1 < len(args):
                        return args[i + 1]
                    if arg.startswith(name + "="):
                        return arg[len(name) + 1:]
            return None


        def fail(message, code=1):
            print(message, file=sys.stderr)
            sys.exit(code)


        if os.path.exists(os.environ["KUBE_STORE"] + ".unreachable"):
            fail("The connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?")
        if args[:2] in (["get", "configmap"], ["get", "configmaps"], ["get", "cm"]):
            name, namespace = args[2], option("--namespace", "-n") or "default"
            configmap = store.get(namespace + "/" + name)
            if configmap is None:
                if "--ignore-not-found" in args:
                    sys.exit(0)
                fail('Error from server (NotFound): configmaps "%s" not found' % name)
            output = option("--output", "-o") or ""
            if not output.startswith("jsonpath="):
                fail("stand-in kubectl: unsupported output " + output, 2)


            def expand(match):
                inner = match.group(1)
                if inner.startswith(".data."):
                    return configmap["data"].get(inner[len(".data."):], "")
                if inner.startswith('"') and inner.endswith('"'):
                    return json.loads(inner)
                fail("stand-in kubectl: unsupported jsonpath {%s}" % inner, 2)


            sys.stdout.write(re.sub(r"\{([^{}]*)\}", expand, output[len("jsonpath="):]))
            sys.exit(0)
        if args[:1] == ["apply"]:
            filename = option("-f", "--filename")
            manifest = json.load(sys.stdin if filename == "-" else open(filename))
            if manifest.get("apiVersion") != "v1" or manifest.get("kind") != "ConfigMap":
                fail("stand-in kubectl: only v1 ConfigMaps are applied here", 2)
            data = manifest.get("data", {})
            if not all(isinstance(value, str) for value in data.values()):
                fail("error: a ConfigMap's data values must be strings")
            metadata = manifest["metadata"]
            key = metadata.get("namespace", "default") + "/" + metadata["name"]
            before = store.get(key)
            state = "created" if before is None else "unchanged" if before["data"] == data else "configured"
            if state != "unchanged":
                store[key] = {"data": data}
                with open(path + ".tmp", "w") as out:
                    json.dump(store, out, indent=2, sort_keys=True)
                os.replace(path + ".tmp", path)
            print("configmap/%s %s" % (metadata["name"], state))
            sys.exit(0)
        fail("stand-in kubectl: unsupported: " + " ".join(args), 2)
        """;

    private const string Helm = """
        #!/bin/bash
        # A stand-in for helm: template, lint, show and version run the real helm; upgrade, status and uninstall are
        # recorded, the releases kept as <namespace>/<name> lines in $HELM_RELEASES.
        printf '%s\n' "helm $*" >>"$CALLS"
        namespace=default
        previous=''
        for argument in "$@"; do
          [ "$previous" != --namespace ] || namespace="$argument"
          previous="$argument"
        done
        touch "$HELM_RELEASES"
        case "$1" in
          template | lint | show | version) exec "$REAL_HELM" "$@" ;;
          upgrade)
            release="$3"
            if grep -qx "$release" "$HELM_RELEASES.fail" 2>/dev/null; then
              echo "Error: UPGRADE FAILED: $release: context deadline exceeded" >&2
              exit 1
            fi
            grep -qx "$namespace/$release" "$HELM_RELEASES" || echo "$namespace/$release" >>"$HELM_RELEASES"
            echo "Release \"$release\" has been upgraded. Happy Helming!"
            ;;
          status)
            grep -qx "$namespace/$2" "$HELM_RELEASES" || { echo "Error: release: not found" >&2; exit 1; }
            echo "NAME: $2"
            ;;
          uninstall)
            grep -vx "$namespace/$2" "$HELM_RELEASES" >"$HELM_RELEASES.tmp" || true
            mv "$HELM_RELEASES.tmp" "$HELM_RELEASES"
            echo "release \"$2\" uninstalled"
            ;;
          *)
            echo "stand-in helm: unsupported: $*" >&2
            exit 2
            ;;
        esac
        """;

    private readonly string _folder;

    /// <summary>Debian's python3 first: a version manager's shim on PATH costs seconds a call.</summary>
    public static string Python => Requires.Tool("python3", "python3", "/usr/bin/python3");

    public SiteCluster(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(Home);
        Executable(Path.Combine(Bin, "kubectl"), $"#!{Python} -S\n# A stand-in for kubectl: configmaps in $KUBE_STORE, every call appended to $CALLS.\n{Kubectl}\n");
        Executable(Path.Combine(Bin, "helm"), Helm + "\n");
        RealHelm = Requires.Helm();
    }

    public string RealHelm { get; }

    public string Bin => Path.Combine(_folder, "bin");

    public string Home => Path.Combine(_folder, "home");

    /// <summary>The configmaps, as the stand-in kubectl keeps them: {"namespace/name": {"data": {...}}}.</summary>
    public string Store => Path.Combine(_folder, "configmaps.json");

    public string CallLog => Path.Combine(_folder, "calls.log");

    public string Releases => Path.Combine(_folder, "helm-releases");

    public string StoreText => File.Exists(Store) ? File.ReadAllText(Store) : string.Empty;

    public IReadOnlyList<string> Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    /// <summary>The calls that change something: helm upgrade, uninstall and kubectl apply.</summary>
    public IReadOnlyList<string> Changes => Calls.Where(c => c.StartsWith("helm upgrade", StringComparison.Ordinal) || c.StartsWith("helm uninstall", StringComparison.Ordinal) || c.StartsWith("kubectl apply", StringComparison.Ordinal)).ToList();

    /// <summary>From now on, helm upgrade of this release fails.</summary>
    public void FailUpgradeOf(string release) => File.AppendAllText(Releases + ".fail", release + "\n");

    /// <summary>From now on, every kubectl call fails as with an unreachable API server.</summary>
    public void Unreachable() => File.WriteAllText(Store + ".unreachable", string.Empty);

    public void ForgetCalls() => File.Delete(CallLog);

    /// <summary>A configmap's data in kube-system, or null when it does not exist.</summary>
    public IReadOnlyDictionary<string, string>? ConfigMap(string name, string @namespace = "kube-system")
    {
        if (!File.Exists(Store))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(Store));
        return document.RootElement.TryGetProperty($"{@namespace}/{name}", out var configMap)
            ? configMap.GetProperty("data").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : null;
    }

    /// <summary>Runs a package's install.sh as an operator would, with only these tools on PATH.</summary>
    public ShellResult Install(string packageRoot, string[] arguments, IReadOnlyDictionary<string, string>? variables = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = $"{Bin}:/usr/bin:/bin",
            ["HOME"] = Home,
            ["CALLS"] = CallLog,
            ["KUBE_STORE"] = Store,
            ["HELM_RELEASES"] = Releases,
            ["REAL_HELM"] = RealHelm,
        };
        foreach (var (key, value) in variables ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return Shell.Run(Requires.Tool("bash", "bash"), [Path.Combine(packageRoot, "install.sh"), .. arguments], packageRoot, environment, TimeSpan.FromMinutes(2));
    }

    private static void Executable(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
