using System.Text.Json.Nodes;

namespace Lading.Tests.Fixtures;

/// <summary>
/// What an ansible-playbook run with <c>--check --diff</c> would write: each file's path (the module's dest) and its content
/// after the run (the diff's "after"), read from the JSON result of every task, which the minimal stdout callback prints
/// with both at verbosity 3 (ANSIBLE_VERBOSITY=3).
/// </summary>
public static class CheckModeRendering
{
    public static IReadOnlyDictionary<string, string> Read(string output)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = output.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            // The minimal callback prints "host | STATUS => {" and the result as indented JSON up to a "}" of its own.
            if (!lines[i].EndsWith("=> {", StringComparison.Ordinal) || !lines[i].Contains(" | ", StringComparison.Ordinal))
            {
                continue;
            }

            var end = Array.IndexOf(lines, "}", i);
            var json = JsonNode.Parse("{" + string.Join('\n', lines[(i + 1)..(end + 1)]))!;
            foreach (var result in json["results"]?.AsArray().OfType<JsonNode>() ?? [json])
            {
                var dest = result["invocation"]?["module_args"]?["dest"]?.GetValue<string>() ?? result["invocation"]?["module_args"]?["path"]?.GetValue<string>();
                foreach (var diff in result["diff"] is JsonArray many ? many.OfType<JsonNode>() : result["diff"] is JsonObject one ? [one] : [])
                {
                    if (dest is not null && diff["after"] is JsonValue after && after.TryGetValue<string>(out var text))
                    {
                        files[dest] = text;
                    }
                }
            }

            i = end;
        }

        return files;
    }
}
