using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Lading.Tests.Fixtures;

public sealed record HostRun(int ExitCode, string Output, ICakeEngine? Engine);

/// <summary>Runs a host in-process with a recording console, keeping the engine it built.</summary>
public static class HostHarness
{
    public static HostRun Run(CakeHost host, params string[] args) => Run(host, new RecordingConsole(), args);

    public static HostRun Run(CakeHost host, RecordingConsole console, params string[] args)
    {
        host.ConfigureServices(services => services.AddSingleton<IConsole>(console));
        return RunWithConsole(host, console, args);
    }

    /// <summary>
    /// Runs Lading's own host as build.sh does (secrets masked in everything printed), in <paramref name="workingDirectory"/>
    /// with extra environment variables only it sees.
    /// </summary>
    public static HostRun RunLading(string workingDirectory, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> args, Action<IServiceCollection>? services = null)
    {
        var console = new RecordingConsole();
        var host = LadingHost.Create()
            .ConfigureServices(s => s.AddSingleton<IConsole>(sp => new Lading.Recipes.MaskingConsole(console, sp.GetRequiredService<Lading.Recipes.SecretMask>())))
            .ConfigureServices(s => s.AddSingleton<ICakeEnvironment>(new TestEnvironment(environment ?? new Dictionary<string, string>(), workingDirectory)));
        if (services is not null)
        {
            host.ConfigureServices(services);
        }

        return RunWithConsole(host, console, [.. args]);
    }

    /// <summary>For hosts that already route their IConsole to <paramref name="console"/>.</summary>
    public static HostRun RunWithConsole(CakeHost host, RecordingConsole console, params string[] args)
    {
        ICakeEngine? engine = null;
        host.ConfigureServices(services =>
        {
            services.AddSingleton<IAnsiConsole>(console.Ansi);
            services.AddSingleton<ICakeEngine>(sp => engine = new CakeEngine(sp.GetRequiredService<ICakeDataService>(), sp.GetRequiredService<ICakeLog>()));
        });
        var exit = host.Run(args);
        return new HostRun(exit, console.Text, engine);
    }
}
