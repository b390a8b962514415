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
                services.AddSingleton<ITargetSource>(sp => sp.GetRequiredService<RecipeSession>());
                services.AddSingleton<IKnownArguments>(BuildArguments.Known);
                services.AddSingleton<IRefusedRunObserver, BuildLifetime>();
                services.AddSingleton<IAnsiConsole>(_ => PlainWhenRedirected());
                services.AddSingleton<IConsole>(sp => new MaskingConsole(
                    PlainConsole.WhenRedirected(new CakeConsole(sp.GetRequiredService<ICakeEnvironment>())), sp.GetRequiredService<SecretMask>()));
                // The host sets the verbosity on whatever log it is given.
                services.AddSingleton<ICakeLog>(sp => new SafeTextLog(new CakeBuildLog(sp.GetRequiredService<IConsole>())));
            });

    // A CI log is no terminal: no colour codes, whatever TERM says, and no terminal width (80 columns would wrap every table).
    private static IAnsiConsole PlainWhenRedirected()
    {
        if (!Console.IsOutputRedirected)
        {
            return AnsiConsole.Console;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (Environment.GetEnvironmentVariable("COLUMNS") is null)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
