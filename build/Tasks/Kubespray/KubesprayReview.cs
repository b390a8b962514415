using Cake.Frosting;

namespace Lading.Tasks.Kubespray;

[TaskName(nameof(KubesprayReview))]
[TaskDescription("Kubespray's lists for review: GenerateKubesprayLists → CheckImages → ProposeListChanges (a pull request to the Kubespray release repo, the missing images in it); merged lists are tagged with TagKubespray and packaged by Kubespray")]
[CommandLine("./build.sh --target=KubesprayReview --recipe=recipes/kubespray.yaml")]
[IsDependentOn(typeof(ProposeListChanges))]
public sealed class KubesprayReview : FrostingTask<BuildContext>
{
}
