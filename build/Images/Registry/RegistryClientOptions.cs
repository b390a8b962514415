namespace Lading.Images.Registry;

public sealed class RegistryClientOptions
{
    public IRegistryCredentialSource Credentials { get; init; } = AnonymousCredentials.Instance;

    /// <summary>How many requests run at once against one registry host.</summary>
    public int MaxConcurrencyPerRegistry { get; init; } = 4;

    /// <summary>Registries (host or host:port) reached over plain http; loopback always is.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>Attempts per request, the first included, before a transient failure becomes an error.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for an answer's headers; blob bodies and uploads may take longer.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long a blob transfer may deliver nothing before it counts as dropped and is tried again.</summary>
    public TimeSpan TransferIdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Blobs larger than this are pushed in chunks (PATCH); null pushes every blob in one request.</summary>
    public long? PushChunkSize { get; init; }

    /// <summary>Where retries, rate limits and skipped platforms are reported; called from several threads, never given a credential.</summary>
    public Action<string> Log { get; init; } = _ => { };

    /// <summary>The clock bearer tokens are issued and expire by.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
