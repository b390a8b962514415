using Cake.Core;

namespace Cake.Frosting;

public interface IFrostingTaskSetup
{
    void Setup(ICakeContext context, ITaskSetupContext info);
}

public interface IFrostingTaskTeardown
{
    void Teardown(ICakeContext context, ITaskTeardownContext info);
}

public interface IFrostingTaskLifetime : IFrostingTaskSetup, IFrostingTaskTeardown
{
}

/// <summary>Runs before and after every task.</summary>
public abstract class FrostingTaskLifetime<TContext> : IFrostingTaskLifetime
    where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ITaskSetupContext info);

    public abstract void Teardown(TContext context, ITaskTeardownContext info);

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((TContext)context, info);

    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((TContext)context, info);
}

public abstract class FrostingTaskSetup<TContext> : IFrostingTaskSetup
    where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ITaskSetupContext info);

    void IFrostingTaskSetup.Setup(ICakeContext context, ITaskSetupContext info) => Setup((TContext)context, info);
}

public abstract class FrostingTaskTeardown<TContext> : IFrostingTaskTeardown
    where TContext : ICakeContext
{
    public abstract void Teardown(TContext context, ITaskTeardownContext info);

    void IFrostingTaskTeardown.Teardown(ICakeContext context, ITaskTeardownContext info) => Teardown((TContext)context, info);
}
