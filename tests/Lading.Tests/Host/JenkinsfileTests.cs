using System.Reflection;
using System.Text.RegularExpressions;
using Cake.Frosting;
using Lading.Recipes;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Host;

/// <summary>
/// Every Jenkinsfile of recipes/jenkins/ is read as Jenkins would run it: each ./build.sh call names a real target and
/// real options, uses only variables the job defines, and credentials are bound only to the variables its recipe names
/// for secrets, never to a setting of another meaning.
/// </summary>
public sealed partial class JenkinsfileTests
{
    private static readonly string Root = Requires.RepositoryRoot;
    private static readonly string Folder = Path.Combine(Root, "recipes", "jenkins");

    public static TheoryData<string> Jenkinsfiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.Jenkinsfile").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Jenkinsfiles))]
    public void Every_jenkinsfile_calls_real_targets_with_real_settings_and_binds_credentials_to_the_recipes_variables(string file)
    {
        var check = JenkinsfileCheck.Of(File.ReadAllText(Path.Combine(Folder, file)), Root);

        Assert.Empty(check.Problems);
        Assert.NotEmpty(check.Calls);
    }

    [Fact]
    public void Every_pipeline_has_its_job()
    {
        var targets = Directory.GetFiles(Folder, "*.Jenkinsfile")
            .SelectMany(f => JenkinsfileCheck.Of(File.ReadAllText(f), Root).Calls.Select(c => c.Target))
            .ToHashSet();

        Assert.Superset(new HashSet<string> { "Release", "Package", "Hotfix", "TagRelease", "CheckImages", "OfflineResources", "Kubespray" }, targets);
    }

    [Fact]
    public void A_credential_bound_to_the_registry_host_setting_is_caught()
    {
        // What the first Jenkinsfiles did: the registry host became user:password.
        var check = JenkinsfileCheck.Of("""
            pipeline {
                parameters {
                    string(name: 'RECIPE', defaultValue: 'recipes/kubespray.yaml', description: 'Recipe')
                }
                environment {
                    LADING_REGISTRY = credentials('harbor-robot')
                    LADING_REGISTRY_USER = "${LADING_REGISTRY_USR}"
                    LADING_RELASE_REPO = 'https://git.example.com/r.git'
                }
                stages {
                    stage('Build') {
                        steps {
                            withCredentials([string(credentialsId: 'token', variable: 'GITHUB_TOKEN')]) {
                                sh './build.sh --target=Kubespay --recipe="$RECIPE" --dry-run --kubespray-ref="$KUBESPRAY_REF" --relase-repo=x'
                            }
                        }
                    }
                }
            }
            """, Root);

        Assert.Equal(
            [
                "./build.sh --target=Kubespay: no such target (did you mean 'Kubespray'?)",
                "./build.sh --dry-run: write --dryrun, the name the README gives",
                "./build.sh --kubespray-ref=\"$KUBESPRAY_REF\": $KUBESPRAY_REF is no parameter, environment variable or credential of this job",
                "./build.sh --relase-repo=x: unknown option (did you mean '--release-repo'?)",
                "the job does not archive artifacts/summary.*, which every run writes",
                "LADING_RELASE_REPO looks like a setting's variable but no setting has it (did you mean 'LADING_RELEASE_REPO'?)",
                "GITHUB_TOKEN is bound to a credential, but the recipes recipes/kubespray.yaml name no such secret variable (they name DINGTALK_WEBHOOK_URL, GITLAB_TOKEN, LADING_REGISTRY_PASSWORD, LADING_REGISTRY_USER, LADING_UPLOAD_PASSWORD, LADING_UPLOAD_USER)",
                "LADING_REGISTRY is the setting registry.internal (The internal registry (host[:port]) images are checked against and mirrored into.), not a secret: a credential bound to it becomes that setting's value",
            ],
            check.Problems);
    }

    /// <summary>What a Jenkinsfile asks of Lading, and what is wrong with it.</summary>
    private sealed partial class JenkinsfileCheck
    {
        // Variables Jenkins itself sets for every build.
        private static readonly HashSet<string> JenkinsVariables = ["WORKSPACE", "BUILD_NUMBER", "BUILD_TAG", "JOB_NAME", "BRANCH_NAME", "CHANGE_BRANCH", "CHANGE_TARGET", "GIT_COMMIT", "NODE_NAME"];

        private static readonly Dictionary<string, Type> Tasks = typeof(LadingHost).Assembly.GetTypes()
            .Where(t => typeof(IFrostingTask).IsAssignableFrom(t) && !t.IsAbstract)
            .ToDictionary(t => t.GetCustomAttribute<TaskNameAttribute>()?.Name ?? t.Name, StringComparer.Ordinal);

        public List<string> Problems { get; } = [];

        public List<(string Target, string Line)> Calls { get; } = [];

        public static JenkinsfileCheck Of(string text, string root)
        {
            var check = new JenkinsfileCheck();
            check.Read(text, root);
            return check;
        }

        private void Read(string text, string root)
        {
            text = Comment().Replace(text, string.Empty);
            var parameters = Parameter().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Success ? m.Groups[2].Value : null);
            var environment = Block(text, "environment") is { } block
                ? Assignment().Matches(block).Select(m => (Name: m.Groups[1].Value, Value: m.Groups[2].Value.Trim())).ToList()
                : [];
            var credentials = Binding().Matches(text).Select(m => m.Groups[1].Value)
                .Concat(environment.Where(e => e.Value.StartsWith("credentials(", StringComparison.Ordinal)).SelectMany(e => new[] { e.Name, e.Name + "_USR", e.Name + "_PSW" }))
                .ToList();
            var defined = parameters.Keys.Concat(environment.Select(e => e.Name)).Concat(credentials).Concat(JenkinsVariables).ToHashSet(StringComparer.Ordinal);

            var calls = ShCall().Matches(text).Select(m => m.Groups[1].Value).ToList();
            if (calls.Count != BuildSh().Matches(text).Count)
            {
                Problems.Add("a ./build.sh call is not written as sh './build.sh ...' and cannot be checked");
            }

            var recipes = new List<(string Path, BuildSettings Settings)>();
            foreach (var call in calls)
            {
                var options = Options(call);
                var recipePath = options.Where(o => o.Name == RecipeSession.RecipeArgument).Select(o => Resolve(o.Value, parameters)).LastOrDefault();
                BuildSettings? settings = null;
                if (recipePath is not null)
                {
                    settings = BuildSettings.Resolve(RecipeLoader.Load(Path.Combine(root, recipePath), recipePath), new Dictionary<string, string>(), new Dictionary<string, string>());
                    recipes.Add((recipePath, settings));
                }

                var target = options.Where(o => o.Name is "target" or "t").Select(o => o.Value).LastOrDefault() ?? "Default";
                var declared = settings?.Recipe?.Targets.Select(t => t.Name) ?? [];
                if (!Tasks.ContainsKey(target) && !declared.Contains(target))
                {
                    Problems.Add($"./build.sh --target={target}: no such target{DidYouMean.Hint(target, Tasks.Keys.Concat(declared))}");
                }

                Calls.Add((target, call));
                foreach (var (name, value, written) in options)
                {
                    var hostOption = HostOptions.OptionNames.Contains(name) || name is "t" or "w" or "v" or "e";
                    if (BuildArguments.Known.Aliases.ContainsKey(name) || name is "dry-run" or "noop" or "whatif")
                    {
                        Problems.Add($"./build.sh {written}: write --{(name == "dry-run" || name == "noop" || name == "whatif" ? "dryrun" : BuildArguments.Known.Aliases[name])}, the name the README gives");
                    }
                    else if (!hostOption && !BuildArguments.Known.Names.Contains(name))
                    {
                        Problems.Add($"./build.sh {written}: unknown option{DidYouMean.Hint(name, BuildArguments.Known.Names.Concat(HostOptions.OptionNames), "--")}");
                    }

                    foreach (var variable in Variable().Matches(value).Select(m => m.Groups[1].Value).Where(v => !defined.Contains(v)))
                    {
                        Problems.Add($"./build.sh {written}: ${variable} is no parameter, environment variable or credential of this job");
                    }
                }

                if (Closure(target).Contains("CheckImages") && !text.Contains("junit testResults: 'artifacts/check-images.xml'", StringComparison.Ordinal))
                {
                    Problems.Add($"{target} checks images, but the job publishes no artifacts/check-images.xml with junit");
                }
            }

            if (calls.Count > 0 && !ArchivedSummary().IsMatch(text))
            {
                Problems.Add("the job does not archive artifacts/summary.*, which every run writes");
            }

            CheckVariables(environment, credentials, recipes);
        }

        private void CheckVariables(List<(string Name, string Value)> environment, List<string> credentials, List<(string Path, BuildSettings Settings)> recipes)
        {
            var settingVariables = SettingKeys.All.Where(s => s.Environment is not null).ToDictionary(s => s.Environment!, StringComparer.Ordinal);
            var secrets = recipes.SelectMany(r => SettingKeys.All.Where(s => s.Kind == SettingKind.SecretName).Select(s => r.Settings.Text(s.Key)!)
                    .Concat(r.Settings.Notifications.Select(n => n.UrlEnv)))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var (name, _) in environment.Where(e => e.Name.StartsWith("LADING_", StringComparison.Ordinal)))
            {
                if (!settingVariables.ContainsKey(name) && !secrets.Contains(name) && !credentials.Contains(name))
                {
                    Problems.Add($"{name} looks like a setting's variable but no setting has it{DidYouMean.Hint(name, settingVariables.Keys)}");
                }
            }

            foreach (var name in credentials.Where(c => !c.EndsWith("_USR", StringComparison.Ordinal) && !c.EndsWith("_PSW", StringComparison.Ordinal)))
            {
                if (settingVariables.TryGetValue(name, out var setting))
                {
                    Problems.Add($"{name} is the setting {setting.Key} ({setting.Description}), not a secret: a credential bound to it becomes that setting's value");
                }
                else if (!secrets.Contains(name))
                {
                    Problems.Add($"{name} is bound to a credential, but the recipes {string.Join(", ", recipes.Select(r => r.Path).Distinct())} name no such secret variable (they name {string.Join(", ", secrets.Order(StringComparer.Ordinal))})");
                }
            }
        }

        /// <summary>The text between the braces of the first `name {` block, braces inside it matched.</summary>
        private static string? Block(string text, string name)
        {
            var start = Regex.Match(text, $@"\b{name}\s*\{{");
            if (!start.Success)
            {
                return null;
            }

            var depth = 1;
            for (var i = start.Index + start.Length; i < text.Length; i++)
            {
                depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
                if (depth == 0)
                {
                    return text[(start.Index + start.Length)..i];
                }
            }

            return null;
        }

        /// <summary>The target and every task it depends on.</summary>
        private static HashSet<string> Closure(string target)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var next = new Stack<string>([target]);
            while (next.TryPop(out var name))
            {
                if (seen.Add(name) && Tasks.TryGetValue(name, out var type))
                {
                    foreach (var dependency in type.GetCustomAttributes<IsDependentOnAttribute>())
                    {
                        next.Push(dependency.Task.GetCustomAttribute<TaskNameAttribute>()?.Name ?? dependency.Task.Name);
                    }
                }
            }

            return seen;
        }

        /// <summary>A value's parameter (--recipe="$RECIPE") resolved to the parameter's default.</summary>
        private static string Resolve(string value, Dictionary<string, string?> parameters) =>
            Variable().Match(value) is { Success: true } m && m.Value == value ? parameters.GetValueOrDefault(m.Groups[1].Value) ?? value : value;

        /// <summary>Each option of a call: its name, its value with quotes removed, and how it is written.</summary>
        private static List<(string Name, string Value, string Written)> Options(string call)
        {
            var words = call.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(w => Conditional().Match(w) is { Success: true } c ? c.Groups[1].Value : w);
            return words.Select(w =>
            {
                var body = w.TrimStart('-');
                var equals = body.IndexOf('=');
                return equals < 0 ? (body, "true", w) : (body[..equals], body[(equals + 1)..].Trim('"', '\''), w);
            }).ToList();
        }

        [GeneratedRegex(@"(?:string|choice|booleanParam|text)\(name:\s*'(\w+)'(?:,\s*defaultValue:\s*'([^']*)')?")]
        private static partial Regex Parameter();


        [GeneratedRegex(@"^\s*(\w+)\s*=\s*(.+)$", RegexOptions.Multiline)]
        private static partial Regex Assignment();

        [GeneratedRegex(@"(?:usernameVariable|passwordVariable|variable|keyFileVariable|passphraseVariable):\s*'(\w+)'")]
        private static partial Regex Binding();

        [GeneratedRegex(@"(^|\s)//.*$", RegexOptions.Multiline)]
        private static partial Regex Comment();

        [GeneratedRegex(@"\bsh\s+'(\./build\.sh[^'\n]*)'")]
        private static partial Regex ShCall();

        [GeneratedRegex(@"\./build\.sh")]
        private static partial Regex BuildSh();

        [GeneratedRegex(@"^\$\{\w+:\+(.*)\}$")]
        private static partial Regex Conditional();

        [GeneratedRegex(@"\$\{?(\w+)\}?")]
        private static partial Regex Variable();

        [GeneratedRegex(@"archiveArtifacts artifacts: '[^']*artifacts/summary\.\*")]
        private static partial Regex ArchivedSummary();
    }
}
