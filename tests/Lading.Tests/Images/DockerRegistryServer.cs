using System.Diagnostics;
using System.Text;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Images;

/// <summary>
/// A real docker-registry (Debian package) on 127.0.0.1 and a free port, serving a storage folder; stopped when
/// disposed. Its output is kept for failure messages (<see cref="Logs"/>).
/// </summary>
public sealed class DockerRegistryServer : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder logs = new();
    private readonly TempFolder configFolder = new("lading-registry-config");

    private DockerRegistryServer(string storageRoot, bool readOnly, (string User, string Password)? basicAuth)
    {
        var executable = Requires.Tool("docker-registry", "docker-registry");
        StorageRoot = storageRoot;
        Port = FreePort.Next();
        var auth = basicAuth is { } credentials ? $"""

            auth:
              htpasswd:
                realm: lading-test
                path: {WriteHtpasswd(credentials.User, credentials.Password)}
            """ : string.Empty;
        var config = configFolder.Write("config.yml", $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: {storageRoot}
              delete:
                enabled: {(!readOnly).ToString().ToLowerInvariant()}
              maintenance:
                uploadpurging:
                  enabled: false
                readonly:
                  enabled: {readOnly.ToString().ToLowerInvariant()}
            http:
              addr: 127.0.0.1:{Port}{auth}
            """);
        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "serve", config },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string StorageRoot { get; }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of an image reference.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public string Logs
    {
        get
        {
            lock (logs)
            {
                return logs.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a registry over <paramref name="storageRoot"/> (the folder holding <c>docker/registry/v2</c>): read-only
    /// to serve a package tree, writable to be pushed to; with <paramref name="basicAuth"/>, only that user gets in.
    /// </summary>
    public static async Task<DockerRegistryServer> StartAsync(string storageRoot, bool readOnly = true, (string User, string Password)? basicAuth = null)
    {
        var server = new DockerRegistryServer(storageRoot, readOnly, basicAuth);
        try
        {
            await FreePort.WaitUntilListening(server.Port, TimeSpan.FromSeconds(20), () => $"docker-registry said:\n{server.Logs}");
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            process.Dispose();
            configFolder.Dispose();
        }
    }

    // docker-registry accepts only bcrypt entries, which htpasswd (apache2-utils) makes.
    private string WriteHtpasswd(string user, string password)
    {
        var start = new ProcessStartInfo(Requires.Tool("htpasswd", "apache2-utils"))
        {
            ArgumentList = { "-Bbn", user, password },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var htpasswd = Process.Start(start)!;
        var line = htpasswd.StandardOutput.ReadToEnd();
        htpasswd.WaitForExit();
        if (htpasswd.ExitCode != 0)
        {
            throw new InvalidOperationException($"htpasswd failed: {htpasswd.StandardError.ReadToEnd()}");
        }

        return configFolder.Write("htpasswd", line.Trim() + "\n");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (logs)
        {
            logs.AppendLine(line);
        }
    }
}
