using Cake.Core;

namespace Cake.Frosting;

public interface IFrostingSetup
{
    void Setup(ICakeContext context, ISetupContext info);
}

public interface IFrostingTeardown
{
    void Teardown(ICakeContext context, ITeardownContext info);
}

public interface IFrostingLifetime : IFrostingSetup, IFrostingTeardown
{
}

/// <summary>Runs once before the first task and once after the last.</summary>
public abstract class FrostingLifetime<TContext> : IFrostingLifetime
    where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ISetupContext info);

    public abstract void Teardown(TContext context, ITeardownContext info);

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);

    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}

public abstract class FrostingSetup<TContext> : IFrostingSetup
    where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ISetupContext info);

    void IFrostingSetup.Setup(ICakeContext context, ISetupContext info) => Setup((TContext)context, info);
}

public abstract class FrostingTeardown<TContext> : IFrostingTeardown
    where TContext : ICakeContext
{
    public abstract void Teardown(TContext context, ITeardownContext info);

    void IFrostingTeardown.Teardown(ICakeContext context, ITeardownContext info) => Teardown((TContext)context, info);
}
