using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lading.Benchmark;

/// <summary>
/// A docker-registry (the Debian package) serving a storage folder on 127.0.0.1 and a free port, for as long as this
/// object lives; what it printed is kept for the message when it fails to start.
/// </summary>
public sealed class DockerRegistryProcess : IAsyncDisposable
{
    public const string Executable = "docker-registry";
    public const string DebianPackage = "docker-registry";

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DockerRegistryProcess(Process process, int port, string storage)
    {
        _process = process;
        Port = port;
        StorageFolder = storage;
    }

    public int Port { get; }

    /// <summary>127.0.0.1:PORT, the registry part of an image reference.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public string StorageFolder { get; }

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

    /// <summary>
    /// Starts the registry over <paramref name="storage"/> with its config written into <paramref name="configFolder"/>;
    /// returns once it accepts connections. Read-only, it serves a tree laid out beforehand and refuses pushes.
    /// </summary>
    public static async Task<DockerRegistryProcess> StartAsync(string executable, string storage, string configFolder, CancellationToken cancellationToken, bool readOnly = false)
    {
        Directory.CreateDirectory(storage);
        Directory.CreateDirectory(configFolder);
        var port = FreePort();
        var config = Path.Combine(configFolder, "config.yml");
        // Quiet logs: the registry's own logging would be measured along with every pull.
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {storage}
              maintenance:
                uploadpurging:
                  enabled: false
                readonly:
                  enabled: {(readOnly ? "true" : "false")}
            http:
              addr: 127.0.0.1:{port}
            """, cancellationToken);
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(executable)
            {
                ArgumentList = { "serve", config },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var registry = new DockerRegistryProcess(process, port, storage);
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await registry.WaitUntilListeningAsync(TimeSpan.FromSeconds(20), cancellationToken);
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
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
        catch (Exception error) when (error is InvalidOperationException or TimeoutException)
        {
        }

        _process.Dispose();
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new BenchmarkException($"docker-registry stopped at once (exit code {_process.ExitCode}):\n{Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException error)
            {
                throw new BenchmarkException($"docker-registry did not listen on {Address} within {timeout.TotalSeconds:0}s: {error.Message}\n{Output}");
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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
