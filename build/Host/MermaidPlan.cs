using System.Text;
using Cake.Core;
using Cake.Core.Graph;

namespace Cake.Frosting;

/// <summary>Renders a target's task graph as a Mermaid flowchart (beyond Cake.Frosting).</summary>
public static class MermaidPlan
{
    public static string Render(IReadOnlyList<ICakeTaskInfo> tasks, string target)
    {
        var graph = CakeGraphBuilder.Build(tasks);
        var order = graph.Traverse(target).ToList();
        var inPlan = new HashSet<string>(order, StringComparer.OrdinalIgnoreCase);
        var byName = tasks.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);

        var text = new StringBuilder();
        text.AppendLine("```mermaid");
        text.AppendLine("flowchart LR");
        foreach (var name in order)
        {
            var description = byName[name].Description;
            var label = string.IsNullOrWhiteSpace(description) ? name : $"{name}<br/><small>{Escape(description)}</small>";
            var shape = string.Equals(name, target, StringComparison.OrdinalIgnoreCase) ? $"(({Quote(label)}))" : $"[{Quote(label)}]";
            text.AppendLine($"    {Id(name)}{shape}");
        }

        foreach (var edge in graph.Edges.Where(e => inPlan.Contains(e.Start) && inPlan.Contains(e.End))
                     .OrderBy(e => order.FindIndex(n => n.Equals(e.End, StringComparison.OrdinalIgnoreCase)))
                     .ThenBy(e => order.FindIndex(n => n.Equals(e.Start, StringComparison.OrdinalIgnoreCase))))
        {
            text.AppendLine($"    {Id(edge.Start)} --> {Id(edge.End)}");
        }

        text.AppendLine("```");
        return text.ToString();
    }

    private static string Id(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());

    private static string Quote(string label) => $"\"{label}\"";

    private static string Escape(string text) => text.Replace("\"", "#quot;").Replace("<", "#lt;").Replace(">", "#gt;");
}
