using Cake.Core;
using Cake.Frosting;

namespace Lading;

/// <summary>The typed settings of one build; <see cref="BuildLifetime"/> fills it.</summary>
public sealed class BuildContext(ICakeContext context) : FrostingContext(context)
{
}
