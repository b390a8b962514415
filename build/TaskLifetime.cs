using Cake.Core;
using Cake.Frosting;

namespace Lading;

public sealed class TaskLifetime : FrostingTaskLifetime<BuildContext>
{
    public override void Setup(BuildContext context, ITaskSetupContext info)
    {
    }

    public override void Teardown(BuildContext context, ITaskTeardownContext info)
    {
    }
}
