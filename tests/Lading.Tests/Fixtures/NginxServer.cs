using System.Diagnostics;
using System.Text;

namespace Lading.Tests.Fixtures;

public sealed record NginxOptions
{
    /// <summary>Accept PUT, DELETE and MOVE (WebDAV) on the served root.</summary>
    public bool WebDav { get; init; }

    /// <summary>The WebDAV methods nginx accepts; leaving MOVE out makes it behave like Nexus raw or Artifactory.</summary>
    public string DavMethods { get; init; } = "PUT DELETE MOVE";

    /// <summary>False makes nginx ignore Range requests and always answer 200 with the whole file.</summary>
    public bool Ranges { get; init; } = true;

    /// <summary>When set, every request needs basic auth with this user and password.</summary>
    public (string User, string Password)? BasicAuth { get; init; }
}

/// <summary>
/// A real nginx on 127.0.0.1 serving a temp root, run in the foreground as the current user with
/// every file it writes (config, pid, logs, temp bodies) under its own temp folder.
/// </summary>
public sealed class NginxServer : IDisposable
{
    private readonly TempFolder _folder;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NginxServer(TempFolder folder, Process process, int port)
    {
        _folder = folder;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The folder nginx serves at <see cref="BaseUri"/>.</summary>
    public string Root => _folder.Combine("root");

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public string ErrorLog => ReadShared(_folder.Combine("error.log"));

    public string AccessLog => ReadShared(_folder.Combine("access.log"));

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Skips (or fails under CI) when nginx, or htpasswd for basic auth, is missing.</summary>
    public static async Task<NginxServer> StartAsync(NginxOptions? options = null)
    {
        options ??= new NginxOptions();
        var nginx = Requires.Tool("nginx", "nginx");
        var htpasswd = options.BasicAuth is null ? null : Requires.Tool("htpasswd", "apache2-utils");

        var folder = new TempFolder("lading-nginx");
        try
        {
            Directory.CreateDirectory(folder.Combine("root"));
            Directory.CreateDirectory(folder.Combine("temp"));
            if (options.BasicAuth is { } auth)
            {
                var made = Shell.Run(htpasswd!, ["-bc", folder.Combine("htpasswd"), auth.User, auth.Password], timeout: TimeSpan.FromSeconds(30));
                if (made.ExitCode != 0)
                {
                    throw new InvalidOperationException($"htpasswd failed: {made.All}");
                }
            }

            var port = FreePort.Next();
            File.WriteAllText(folder.Combine("nginx.conf"), Config(folder, port, options));

            var start = new ProcessStartInfo(nginx)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // -e keeps nginx from opening the packaged error log before it has read the config.
            foreach (var argument in new[] { "-p", folder.Path, "-e", folder.Combine("error.log"), "-c", folder.Combine("nginx.conf") })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
            var server = new NginxServer(folder, process, port);
            process.OutputDataReceived += (_, e) => server.Capture(e.Data);
            process.ErrorDataReceived += (_, e) => server.Capture(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await FreePort.WaitUntilListening(port, TimeSpan.FromSeconds(20), server.Diagnostics);
            }
            catch
            {
                server.Dispose();
                throw;
            }

            return server;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>What nginx said, for failure messages.</summary>
    public string Diagnostics()
    {
        lock (_output)
        {
            var exited = _process.HasExited ? $"nginx exited with {_process.ExitCode}. " : string.Empty;
            return $"{exited}{_output}{Environment.NewLine}error.log:{Environment.NewLine}{ErrorLog}";
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
            _folder.Dispose();
        }
    }

    private void Capture(string? line)
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

    private static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static string Config(TempFolder folder, int port, NginxOptions options)
    {
        var temp = folder.Combine("temp");
        var dav = options.WebDav
            ? $"""
                        dav_methods {options.DavMethods};
                        create_full_put_path on;
                        dav_access user:rw group:r all:r;
                        client_max_body_size 0;
              """
            : string.Empty;
        var auth = options.BasicAuth is null
            ? string.Empty
            : $"""
                        auth_basic "lading";
                        auth_basic_user_file {folder.Combine("htpasswd")};
              """;
        return $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{folder.Combine("nginx.pid")}};
            error_log {{folder.Combine("error.log")}} info;
            events {
                worker_connections 256;
            }
            http {
                access_log {{folder.Combine("access.log")}};
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                default_type application/octet-stream;
                sendfile off;
                {{(options.Ranges ? string.Empty : "max_ranges 0;")}}
                server {
                    listen 127.0.0.1:{{port}};
                    server_name localhost;
                    root {{folder.Combine("root")}};
                    location / {
            {{dav}}
            {{auth}}
                    }
                }
            }
            """;
    }
}
