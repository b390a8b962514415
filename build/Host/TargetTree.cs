using System.Text;
using Cake.Core;

namespace Cake.Frosting;

/// <summary>The target's dependency tree, and nothing else (Cake's tree prints every task's).</summary>
public static class TargetTree
{
    public static string Render(IReadOnlyList<ICakeTaskInfo> tasks, string target)
    {
        var byName = tasks.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var text = new StringBuilder();
        text.Append(byName[target].Name).Append('\n');
        Children(byName, byName[target], string.Empty, text, [byName[target].Name]);
        return text.ToString();
    }

    private static void Children(Dictionary<string, ICakeTaskInfo> byName, ICakeTaskInfo task, string indent, StringBuilder text, HashSet<string> path)
    {
        var dependencies = task.Dependencies.Select(d => d.Name)
            .Concat(byName.Values.Where(t => t.Dependees.Any(d => d.Name.Equals(task.Name, StringComparison.OrdinalIgnoreCase))).Select(t => t.Name))
            .Where(byName.ContainsKey)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        for (var i = 0; i < dependencies.Count; i++)
        {
            var last = i == dependencies.Count - 1;
            var child = byName[dependencies[i]];
            text.Append(indent).Append(last ? "└─" : "├─").Append(child.Name).Append('\n');
            if (path.Add(child.Name))
            {
                Children(byName, child, indent + (last ? "  " : "│ "), text, path);
                path.Remove(child.Name);
            }
        }
    }
}
