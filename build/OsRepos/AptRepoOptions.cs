namespace Lading.OsRepos;

public sealed record AptRepoOptions
{
    /// <summary>The repos/ folder of the package; a target's repository goes to <c>&lt;Repositories&gt;/&lt;distro&gt;-&lt;release&gt;/&lt;arch&gt;</c>.</summary>
    public required string Repositories { get; init; }

    /// <summary>Kept between builds: downloaded .debs under <c>&lt;Cache&gt;/os/&lt;distro&gt;-&lt;release&gt;/&lt;arch&gt;</c>, fetched again only when missing or damaged.</summary>
    public required string Cache { get; init; }

    /// <summary>Scratch space: the isolated apt root of each target.</summary>
    public required string Work { get; init; }

    /// <summary>The apt-get to run; found on PATH when null.</summary>
    public string? AptGet { get; init; }
}
