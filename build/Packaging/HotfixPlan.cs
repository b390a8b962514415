using YamlDotNet.RepresentationModel;

namespace Lading.Packaging;

/// <summary>What a hotfix carries: the charts changed between two release tags, and the images the base release lacks.</summary>
public sealed record HotfixPlan(IReadOnlyList<string> ChangedCharts, IReadOnlyList<string> DeletedCharts, IReadOnlyList<string> NewImages)
{
    /// <summary>
    /// The images of the changed charts (by images/provenance.yaml; every listed image when there is none) that no
    /// list of the base release names.
    /// </summary>
    public static IReadOnlyList<string> ImagesToShip(IReadOnlyCollection<string> changedCharts, IReadOnlyList<string> newImages, string? provenanceYaml, IReadOnlySet<string> baseImages)
    {
        var byImage = provenanceYaml is null ? null : ReadProvenance(provenanceYaml);
        return newImages
            .Where(image => byImage is null || (byImage.TryGetValue(image, out var addons) && addons.Overlaps(changedCharts)))
            .Where(image => !baseImages.Contains(image))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Image → the addons whose charts name it, from images/provenance.yaml.</summary>
    public static IReadOnlyDictionary<string, HashSet<string>> ReadProvenance(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("images"), out var images) || images is not YamlMappingNode map)
        {
            return result;
        }

        foreach (var (image, places) in map.Children)
        {
            var addons = new HashSet<string>(StringComparer.Ordinal);
            foreach (var place in (places as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            {
                if (place.Children.TryGetValue(new YamlScalarNode("addon"), out var addon) && addon is YamlScalarNode { Value: { } name })
                {
                    addons.Add(name);
                }
            }

            result[((YamlScalarNode)image).Value!] = addons;
        }

        return result;
    }
}
