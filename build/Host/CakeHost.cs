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
        var arguments = args.ToList();
        HostOptions options;
        try
        {
            options = HostOptions.Parse(arguments);
        }
        catch (CakeException ex)
        {
            Console.Error.WriteLine($"Error: {ex.Message}");
            Console.Error.WriteLine(HostOptions.Help);
            return ex.ExitCode;
        }

        using var services = BuildServices(options);
        var log = services.GetRequiredService<ICakeLog>();
        log.Verbosity = options.Verbosity;
        try
        {
            return Execute(services, options);
        }
        catch (Exception ex)
        {
            return LogFailure(log, ex);
        }
    }

    private int Execute(ServiceProvider services, HostOptions options)
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
            environment.WorkingDirectory = working.MakeAbsolute(environment);
        }

        var engine = services.GetRequiredService<ICakeEngine>();
        var context = services.GetRequiredService<IFrostingContext>();
        var tasks = services.GetServices<IFrostingTask>().ToList();
        TaskRegistration.Register(engine, context, tasks);
        var known = engine.Tasks.Select(t => t.Name).ToList();
        foreach (var source in services.GetServices<ITargetSource>())
        {
            TaskRegistration.Register(engine, source.GetTargets(known).ToList());
        }

        RegisterLifetimes(services, engine, context);

        if (options.Description)
        {
            return Report(new DescriptionScriptHost(engine, context, services.GetRequiredService<IAnsiConsole>()), options);
        }

        if (!engine.Tasks.Any(t => t.Name.Equals(options.Target, StringComparison.OrdinalIgnoreCase)))
        {
            console.WriteErrorLine($"Error: the target '{options.Target}' does not exist. Targets:");
            foreach (var task in engine.Tasks.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase))
            {
                console.WriteErrorLine($"  {task.Name,-28} {task.Description}");
            }

            return 1;
        }

        if (options.Plan)
        {
            console.WriteLine(MermaidPlan.Render(engine.Tasks, options.Target));
            return 0;
        }

        if (options.Tree)
        {
            return Report(new TreeScriptHost(engine, context, console), options);
        }

        var strategy = services.GetRequiredService<IExecutionStrategy>();
        if (options.DryRun)
        {
            var aware = tasks.Where(t => t is IDryRunAware).Select(t => TaskRegistration.NameOf(t.GetType())).ToHashSet(StringComparer.OrdinalIgnoreCase);
            strategy = new DryRunExecutionStrategy(strategy, services.GetRequiredService<ICakeLog>(), aware);
        }

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

    private static int Report(IScriptHost host, HostOptions options)
    {
        if (options.Exclusive)
        {
            host.Settings.UseExclusiveTarget();
        }

        host.RunTargetAsync(options.Target).GetAwaiter().GetResult();
        return 0;
    }

    private static void RegisterLifetimes(IServiceProvider services, ICakeEngine engine, IFrostingContext context)
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
            engine.RegisterTaskTeardownAction(info => taskTeardowns.ForEach(t => t.Teardown(context, info)));
        }
    }

    private static int LogFailure(ICakeLog log, Exception exception)
    {
        var ex = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        if (ex is CakeReportException { InnerException: { } inner })
        {
            ex = inner;
        }

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
