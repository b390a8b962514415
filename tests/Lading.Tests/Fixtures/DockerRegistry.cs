using System.Diagnostics;
using System.Text;

namespace Lading.Tests.Fixtures;

/// <summary>
/// A real docker-registry (Debian package) on 127.0.0.1 and a free port, optionally behind htpasswd basic auth;
/// stopped when disposed. Its output is kept for failure messages (<see cref="Logs"/>).
/// </summary>
public sealed class DockerRegistry : IDisposable, IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempFolder _folder = new("lading-registry");
    private readonly StringBuilder _logs = new();
    private bool _disposed;

    private DockerRegistry(string executable, string? htpasswd, string? storageRoot, bool readOnly, (string User, string Password)? basicAuth)
    {
        StorageRoot = storageRoot ?? _folder.Combine("storage");
        Port = FreePort.Next();
        var auth = basicAuth is { } credentials ? $"""

            auth:
              htpasswd:
                realm: lading-test
                path: {WriteHtpasswd(htpasswd!, credentials.User, credentials.Password)}
            """ : string.Empty;
        var config = _folder.Write("config.yml", $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: {StorageRoot}
              delete:
                enabled: {(!readOnly).ToString().ToLowerInvariant()}
              maintenance:
                uploadpurging:
                  enabled: false
                readonly:
                  enabled: {readOnly.ToString().ToLowerInvariant()}
            http:
              addr: {Host}{auth}
            """);
        _process = new Process
        {
            StartInfo = new ProcessStartInfo(executable)
            {
                ArgumentList = { "serve", config },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The folder holding <c>docker/registry/v2</c>.</summary>
    public string StorageRoot { get; }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of an image reference.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public string Logs
    {
        get
        {
            lock (_logs)
            {
                return _logs.ToString();
            }
        }
    }

    /// <summary>A writable registry over its own temp storage, to be pushed to; with <paramref name="basicAuth"/>, only that user gets in.</summary>
    public static Task<DockerRegistry> StartAsync((string User, string Password)? basicAuth = null) =>
        StartAsync(storageRoot: null, readOnly: false, basicAuth);

    /// <summary>
    /// A registry over <paramref name="storageRoot"/> (the folder holding <c>docker/registry/v2</c>): read-only to serve
    /// a package tree, writable to be pushed to; with <paramref name="basicAuth"/>, only that user gets in.
    /// </summary>
    public static async Task<DockerRegistry> StartAsync(string? storageRoot, bool readOnly = true, (string User, string Password)? basicAuth = null)
    {
        // Both programs are looked up first, so a missing one skips the test before anything is started or written.
        var executable = Requires.Tool("docker-registry", "docker-registry");
        var htpasswd = basicAuth is null ? null : Requires.Tool("htpasswd", "apache2-utils");
        var registry = new DockerRegistry(executable, htpasswd, storageRoot, readOnly, basicAuth);
        try
        {
            await FreePort.WaitUntilListening(registry.Port, TimeSpan.FromSeconds(20), () => $"docker-registry said:\n{registry.Logs}");
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    public void Dispose()
    {
        if (Stop())
        {
            _process.WaitForExit(10_000);
        }

        Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (Stop())
        {
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
            }
        }

        Release();
    }

    // True when the process was killed here and should be waited for.
    private bool Stop()
    {
        if (_disposed)
        {
            return false;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                return true;
            }
        }
        catch (InvalidOperationException)
        {
        }

        return false;
    }

    private void Release()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _process.Dispose();
        _folder.Dispose();
    }

    // docker-registry accepts only bcrypt entries, which htpasswd (apache2-utils) makes.
    private string WriteHtpasswd(string htpasswd, string user, string password)
    {
        var made = Shell.Run(htpasswd, ["-Bbn", user, password], timeout: TimeSpan.FromSeconds(60));
        if (made.ExitCode != 0)
        {
            throw new InvalidOperationException($"htpasswd failed ({made.ExitCode}): {made.Error}");
        }

        return _folder.Write("htpasswd", made.Output.Trim() + "\n");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logs)
        {
            _logs.AppendLine(line);
        }
    }
}
