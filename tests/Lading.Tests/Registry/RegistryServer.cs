using System.Diagnostics;
using System.Text;
using Lading.Tests.Fixtures;

namespace Lading.Tests.Registry;

/// <summary>
/// A real docker-registry on 127.0.0.1 with its own storage folder and config, optionally behind htpasswd basic auth.
/// Its output is kept for failure messages.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempFolder _folder;
    private readonly StringBuilder _output = new();

    private RegistryServer(Process process, TempFolder folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public string StorageFolder => _folder.Combine("storage");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<RegistryServer> StartAsync(string? user = null, string? password = null)
    {
        var registry = Requires.Tool("docker-registry", "docker-registry");
        var folder = new TempFolder("lading-registry");
        var port = FreePort.Next();
        var auth = string.Empty;
        if (user is not null)
        {
            var htpasswd = Requires.Tool("htpasswd", "apache2-utils");
            var (code, hash) = await RunAsync(htpasswd, ["-Bbn", user, password ?? string.Empty]);
            if (code != 0)
            {
                throw new InvalidOperationException($"htpasswd failed ({code}).");
            }

            folder.Write("htpasswd", hash.Trim() + "\n");
            auth = $"""
                auth:
                  htpasswd:
                    realm: lading-test
                    path: {folder.Combine("htpasswd")}
                """;
        }

        var config = folder.Write("config.yml", $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {folder.Combine("storage")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {auth}
            """);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(registry) { ArgumentList = { "serve", config }, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false },
            EnableRaisingEvents = true,
        };
        var server = new RegistryServer(process, folder, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await FreePort.WaitUntilListening(port, TimeSpan.FromSeconds(20), () => $"docker-registry said: {server.Output}");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
        _folder.Dispose();
    }

    internal static async Task<(int Code, string Output)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} did not finish in time.");
        }

        return (process.ExitCode, process.ExitCode == 0 ? await stdout : await stdout + await stderr);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
