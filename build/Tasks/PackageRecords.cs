using Cake.Core.Diagnostics;
using Lading.Packaging;
using Lading.Reporting;

namespace Lading.Tasks;

/// <summary>What the tasks that write a package tar tell the log and the summary, said the same way by each.</summary>
internal static class PackageRecords
{
    public static void RecordPackage(this BuildContext context, WrittenPackage written)
    {
        context.Log.Information("{0}: {1}, {2} file(s) ({3} of them hard links), sha256 {4}", written.Tar, PlainProgress.Bytes(written.Size), written.FileCount, written.Tarred.HardLinks, written.Sha256);
        context.PackageFile = written.Tar;
        context.Record("package", written.Tar);
        context.Record("size", written.Size.ToString());
        context.Record("files", written.FileCount.ToString());
        context.Record("sha256", written.Sha256);
    }

    /// <summary>Records where a proposal ended: its branch, its pull request, the chats told.</summary>
    public static void RecordProposal(this BuildContext context, Lading.Release.ProposalOutcome outcome)
    {
        if (outcome.Branch is not null)
        {
            context.Record("branch", outcome.Branch);
        }

        if (outcome.Proposal is not null)
        {
            context.Record("proposal", outcome.Proposal);
        }
        context.RecordChats(outcome.Chats);
    }

    /// <summary>Logs every chat that could not be told and records how many were.</summary>
    public static void RecordChats(this BuildContext context, Lading.Chat.ChatOutcome? outcome)
    {
        if (outcome is null)
        {
            return;
        }

        foreach (var warning in outcome.Warnings)
        {
            context.Log.Warning("{0}", warning);
        }

        if (outcome.WithWebhook > 0)
        {
            context.Record("notified", $"{outcome.Delivered} of {outcome.WithWebhook} chat(s)");
        }
    }
}
