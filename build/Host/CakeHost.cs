using System.Reflection;
using Cake.Cli;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Scripting;
using Cake.Core.Tooling;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Cake.Frosting;

/// <summary>
/// The build host: collects typed tasks, builds one Cake dependency graph and runs a target
/// (or describes, prints the tree of, plans or dry-runs it).
/// </summary>
public sealed class CakeHost
{
    private readonly List<Assembly> _assemblies = [];
    private readonly List<Action<IServiceCollection>> _configure = [];
    private Type _contextType = typeof(FrostingContext);
    private DirectoryPath? _workingDirectory;

    public CakeHost()
    {
        if (Assembly.GetEntryAssembly() is { } entry)
        {
            _assemblies.Add(entry);
        }
    }

    public CakeHost UseContext<TContext>()
        where TContext : class, IFrostingContext
    {
        _contextType = typeof(TContext);
        return this;
    }

    public CakeHost UseLifetime<TLifetime>()
        where TLifetime : class, IFrostingLifetime =>
        ConfigureServices(s =>
        {
            s.AddSingleton<IFrostingSetup, TLifetime>();
            s.AddSingleton<IFrostingTeardown, TLifetime>();
        });

    public CakeHost UseSetup<TSetup>()
        where TSetup : class, IFrostingSetup =>
        ConfigureServices(s => s.AddSingleton<IFrostingSetup, TSetup>());

    public CakeHost UseTeardown<TTeardown>()
        where TTeardown : class, IFrostingTeardown =>
        ConfigureServices(s => s.AddSingleton<IFrostingTeardown, TTeardown>());

    public CakeHost UseTaskLifetime<TLifetime>()
        where TLifetime : class, IFrostingTaskLifetime =>
        ConfigureServices(s =>
        {
            s.AddSingleton<IFrostingTaskSetup, TLifetime>();
            s.AddSingleton<IFrostingTaskTeardown, TLifetime>();
        });

    public CakeHost UseTaskSetup<TSetup>()
        where TSetup : class, IFrostingTaskSetup =>
        ConfigureServices(s => s.AddSingleton<IFrostingTaskSetup, TSetup>());

    public CakeHost UseTaskTeardown<TTeardown>()
        where TTeardown : class, IFrostingTaskTeardown =>
        ConfigureServices(s => s.AddSingleton<IFrostingTaskTeardown, TTeardown>());

    public CakeHost UseWorkingDirectory(DirectoryPath path)
    {
        _workingDirectory = path;
        return this;
    }

    /// <summary>Adds the tasks of another assembly.</summary>
    public CakeHost AddAssembly(Assembly assembly)
    {
        if (!_assemblies.Contains(assembly))
        {
            _assemblies.Add(assembly);
        }

        return this;
    }

    public CakeHost ConfigureServices(Action<IServiceCollection> configure)
    {
        _configure.Add(configure);
        return this;
    }

    public int Run(IEnumerable<string> args)
    {
        var options = HostOptions.Parse(args.ToList());
        using var services = BuildServices(options);
        var log = services.GetRequiredService<ICakeLog>();
        log.Verbosity = options.Verbosity;
        var started = false;
        try
        {
            if (services.GetService<IKnownArguments>() is { } known && !options.ShowHelp && !options.ShowVersion && !options.ShowInfo)
            {
                options.Check(known);
            }

            if (options.Errors.Count > 0)
            {
                var console = services.GetRequiredService<IConsole>();
                foreach (var error in options.Errors)
                {
                    console.WriteErrorLine($"Error: {error}");
                }

                console.WriteErrorLine("./build.sh --help lists the options.");
                return Refuse(services, options, string.Join(Environment.NewLine, options.Errors), 1);
            }

            return Execute(services, options, () => started = true);
        }
        catch (Exception ex)
        {
            var exit = LogFailure(log, ex);
            return started ? exit : Refuse(services, options, Unwrap(ex).Message, exit);
        }
    }

    private int Execute(ServiceProvider services, HostOptions options, Action starting)
    {
        var console = services.GetRequiredService<IConsole>();
        if (options.ShowHelp)
        {
            console.WriteLine(HostOptions.Help);
            return 0;
        }

        if (options.ShowVersion)
        {
            console.WriteLine(services.GetRequiredService<IVersionResolver>().GetProductVersion());
            return 0;
        }

        if (options.ShowInfo)
        {
            services.GetRequiredService<ICakeInfoFeature>().Run(console);
            return 0;
        }

        var environment = services.GetRequiredService<ICakeEnvironment>();
        var working = options.WorkingDirectory is { } w ? new DirectoryPath(w) : _workingDirectory;
        if (working is not null)
        {
            working = working.MakeAbsolute(environment);
            if (!Directory.Exists(working.FullPath))
            {
                throw new CakeException($"the working folder '{working.FullPath}' does not exist (--working, -w).");
            }

            environment.WorkingDirectory = working;
        }

        var engine = services.GetRequiredService<ICakeEngine>();
        var context = services.GetRequiredService<IFrostingContext>();
        var tasks = services.GetServices<IFrostingTask>().ToList();
        var skippedTarget = TaskRegistration.Register(engine, context, tasks, options.Target);
        var known = engine.Tasks.Select(t => t.Name).ToList();
        foreach (var source in services.GetServices<ITargetSource>())
        {
            TaskRegistration.Register(engine, source.GetTargets(known).ToList());
        }

        RegisterLifetimes(services, engine, context, skippedTarget);

        if (options.Description)
        {
            return Report(new DescriptionScriptHost(engine, context, services.GetRequiredService<IAnsiConsole>()), options);
        }

        if (!engine.Tasks.Any(t => t.Name.Equals(options.Target, StringComparison.OrdinalIgnoreCase)))
        {
            var names = engine.Tasks.Select(t => t.Name).Order(StringComparer.OrdinalIgnoreCase).ToList();
            throw new CakeException(
                $"the target '{options.Target}' does not exist{DidYouMean.Hint(options.Target, names)}.{Environment.NewLine}" +
                $"Targets: {string.Join(", ", names)} (--description describes them).");
        }

        if (options.Plan)
        {
            console.WriteLine(MermaidPlan.Render(engine.Tasks, options.Target));
            return 0;
        }

        if (options.Tree)
        {
            console.Write(TargetTree.Render(engine.Tasks, options.Target));
            return 0;
        }

        var strategy = services.GetRequiredService<IExecutionStrategy>();
        if (options.DryRun)
        {
            var aware = tasks.Where(t => t is IDryRunAware).Select(t => TaskRegistration.NameOf(t.GetType())).ToHashSet(StringComparer.OrdinalIgnoreCase);
            strategy = new DryRunExecutionStrategy(strategy, services.GetRequiredService<ICakeLog>(), aware);
        }

        starting();
        return Report(
            new BuildScriptHost<IFrostingContext>(
                engine,
                strategy,
                context,
                services.GetRequiredService<ICakeReportPrinter>(),
                services.GetRequiredService<ICakeConfiguration>(),
                services.GetRequiredService<ICakeLog>()),
            options);
    }

    /// <summary>Tells the observers why a run was refused before its setup; an observer that fails does not hide the reason.</summary>
    private static int Refuse(IServiceProvider services, HostOptions options, string reason, int exitCode)
    {
        if (options.ShowHelp || options.ShowVersion || options.ShowInfo)
        {
            return exitCode;
        }

        foreach (var observer in services.GetServices<IRefusedRunObserver>())
        {
            try
            {
                observer.Refused(options.Target, reason);
            }
            catch (Exception ex)
            {
                services.GetRequiredService<ICakeLog>().Warning("Could not record the refused run: {0}", ex.Message);
            }
        }

        return exitCode;
    }

    private static int Report(IScriptHost host, HostOptions options)
    {
        if (options.Exclusive)
        {
            host.Settings.UseExclusiveTarget();
        }

        host.RunTargetAsync(options.Target).GetAwaiter().GetResult();
        return 0;
    }

    private static void RegisterLifetimes(IServiceProvider services, ICakeEngine engine, IFrostingContext context, SkippedTarget skippedTarget)
    {
        foreach (var setup in services.GetServices<IFrostingSetup>())
        {
            engine.RegisterSetupAction(info => setup.Setup(context, info));
        }

        foreach (var teardown in services.GetServices<IFrostingTeardown>())
        {
            engine.RegisterTeardownAction(info => teardown.Teardown(context, info));
        }

        // Cake takes one task setup and one task teardown; several are run in registration order.
        var taskSetups = services.GetServices<IFrostingTaskSetup>().ToList();
        if (taskSetups.Count > 0)
        {
            engine.RegisterTaskSetupAction(info => taskSetups.ForEach(s => s.Setup(context, info)));
        }

        var taskTeardowns = services.GetServices<IFrostingTaskTeardown>().ToList();
        if (taskTeardowns.Count > 0)
        {
            engine.RegisterTaskTeardownAction(info => taskTeardowns.ForEach(t => t.Teardown(context, skippedTarget.Describe(info))));
        }
    }

    private static Exception Unwrap(Exception exception)
    {
        var ex = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        return ex is CakeReportException { InnerException: { } inner } ? inner : ex;
    }

    private static int LogFailure(ICakeLog log, Exception exception)
    {
        var ex = Unwrap(exception);
        if (log.Verbosity >= Verbosity.Diagnostic)
        {
            log.Error("Error: {0}", ex);
        }
        else
        {
            log.Error("Error: {0}", ex.Message);
        }

        return ex is CakeException cake ? cake.ExitCode : 1;
    }

    private ServiceProvider BuildServices(HostOptions options)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IFileSystem, FileSystem>();
        services.AddSingleton<ICakePlatform, CakePlatform>();
        services.AddSingleton<ICakeRuntime, CakeRuntime>();
        services.AddSingleton<ICakeEnvironment, CakeEnvironment>();
        services.AddSingleton<IConsole, CakeConsole>();
        services.AddSingleton<IAnsiConsole>(_ => AnsiConsole.Console);
        services.AddSingleton<ICakeLog>(sp => new CakeBuildLog(sp.GetRequiredService<IConsole>(), options.Verbosity));
        services.AddSingleton<IGlobber, Globber>();
        services.AddSingleton<ICakeArguments>(_ => new CakeArguments(
            options.Arguments.ToLookup(a => a.Key, a => a.Value, StringComparer.OrdinalIgnoreCase)));
        services.AddSingleton<ICakeConfiguration>(sp => new CakeConfigurationProvider(
                sp.GetRequiredService<IFileSystem>(), sp.GetRequiredService<ICakeEnvironment>())
            .CreateConfiguration(
                sp.GetRequiredService<ICakeEnvironment>().WorkingDirectory,
                options.Arguments.GroupBy(a => a.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase)));
        services.AddSingleton<IToolRepository, ToolRepository>();
        services.AddSingleton<IToolResolutionStrategy, ToolResolutionStrategy>();
        services.AddSingleton<IToolLocator, ToolLocator>();
        services.AddSingleton<IProcessRunner, ProcessRunner>();
        services.AddSingleton<IRegistry, WindowsRegistry>();
        services.AddSingleton<IToolInstaller, NoToolInstaller>();
        services.AddSingleton<CakeDataService>();
        services.AddSingleton<ICakeDataService>(sp => sp.GetRequiredService<CakeDataService>());
        services.AddSingleton<ICakeEngine, CakeEngine>();
        services.AddSingleton<ICakeReportPrinter>(sp => new CakeSpectreReportPrinter(sp.GetRequiredService<IAnsiConsole>()));
        services.AddSingleton<IExecutionStrategy, DefaultExecutionStrategy>();
        services.AddSingleton<IVersionResolver>(_ => new HostVersionResolver(_contextType.Assembly));
        services.AddSingleton<ICakeInfoFeature, InfoFeature>();
        services.AddSingleton<ICakeContext>(sp => new CakeContext(
            sp.GetRequiredService<IFileSystem>(),
            sp.GetRequiredService<ICakeEnvironment>(),
            sp.GetRequiredService<IGlobber>(),
            sp.GetRequiredService<ICakeLog>(),
            sp.GetRequiredService<ICakeArguments>(),
            sp.GetRequiredService<IProcessRunner>(),
            sp.GetRequiredService<IRegistry>(),
            sp.GetRequiredService<IToolLocator>(),
            sp.GetRequiredService<ICakeDataService>(),
            sp.GetRequiredService<ICakeConfiguration>(),
            sp.GetRequiredService<IToolInstaller>(),
            sp));
        services.AddSingleton(_contextType);
        services.AddSingleton(sp => (IFrostingContext)sp.GetRequiredService(_contextType));

        foreach (var type in _assemblies.SelectMany(a => a.GetExportedTypes())
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFrostingTask).IsAssignableFrom(t))
                     .Distinct())
        {
            services.AddSingleton(typeof(IFrostingTask), type);
        }

        foreach (var configure in _configure)
        {
            configure(services);
        }

        return services.BuildServiceProvider();
    }
}
