using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Frosting;
using Lading.Recipes;
using Lading.Reporting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Lading;

public static class LadingHost
{
    /// <summary>The host as build.sh runs it; tests add their own console and tasks.</summary>
    public static CakeHost Create() =>
        new CakeHost()
            .AddAssembly(typeof(LadingHost).Assembly)
            .UseContext<BuildContext>()
            .UseLifetime<BuildLifetime>()
            .UseTaskLifetime<TaskLifetime>()
            .ConfigureServices(services =>
            {
                services.AddSingleton<SecretMask>();
                services.AddSingleton<BuildSummary>();
                services.AddSingleton<RecipeSession>();
                services.AddSingleton<IExecutionStrategy>(sp => new SummarizingExecutionStrategy(
                    new DefaultExecutionStrategy(sp.GetRequiredService<ICakeLog>(), sp.GetRequiredService<ICakeReportPrinter>()),
                    sp.GetRequiredService<BuildSummary>()));
                services.AddSingleton<ITargetSource>(sp => sp.GetRequiredService<RecipeSession>());
                services.AddSingleton<IAnsiConsole>(_ => WideWhenRedirected(AnsiConsole.Console));
                services.AddSingleton<IConsole>(sp => new MaskingConsole(new CakeConsole(sp.GetRequiredService<ICakeEnvironment>()), sp.GetRequiredService<SecretMask>()));
                // The host sets the verbosity on whatever log it is given.
                services.AddSingleton<ICakeLog>(sp => new SafeTextLog(new CakeBuildLog(sp.GetRequiredService<IConsole>())));
            });

    // A CI log has no terminal width; 80 columns would wrap every table Jenkins shows.
    private static IAnsiConsole WideWhenRedirected(IAnsiConsole console)
    {
        if (Console.IsOutputRedirected && Environment.GetEnvironmentVariable("COLUMNS") is null)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
