using System.Diagnostics;

namespace Lading.Images;

/// <summary>
/// Fetching each blob once when builds share a store. A build about to fetch a blob claims it first: it makes
/// <c>tmp/&lt;hex&gt;.claim</c> by hard-linking a file of its own to that name, which succeeds for one build only
/// (link(2) never replaces, on local and network file systems alike). The others wait until the blob is stored.
/// A claim whose build is gone is broken: at once when its process is known to have exited (same machine), else
/// once its holder has not refreshed it for a minute. Where hard links are refused, builds fetch without claims:
/// a blob may then be fetched twice, and the store stays consistent all the same, since that rests on rename alone.
/// </summary>
public sealed partial class ContentStore
{
    private const string ClaimSuffix = ".claim";

    /// <summary>A holder refreshes its claims this often; waiters on another machine judge it by that.</summary>
    private static readonly TimeSpan ClaimHeartbeat = TimeSpan.FromSeconds(10);

    /// <summary>A claim not refreshed for this long, whose holder cannot be asked, is broken.</summary>
    private static readonly TimeSpan ClaimStaleAfter = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan ClaimPoll = TimeSpan.FromMilliseconds(100);

    private readonly HashSet<string> _heldClaims = new(StringComparer.Ordinal);
    private Timer? _heartbeat;

    /// <summary>
    /// Before fetching a blob: null when the store holds it (at once, or once another build that claimed it has
    /// stored it); otherwise this build's claim, to dispose once the blob is stored or the fetch has failed.
    /// </summary>
    public async ValueTask<IAsyncDisposable?> ClaimAsync(Digest digest, CancellationToken cancellationToken)
    {
        var path = Path.Combine(TemporaryFolder, digest.Hex + ClaimSuffix);
        (ClaimHolder Holder, DateTime Refreshed, long Since)? watched = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Contains(digest))
            {
                return null;
            }

            var (outcome, token) = TryClaim(path);
            if (outcome is ClaimOutcome.Unsupported)
            {
                return BlobClaim.None;
            }

            if (outcome is ClaimOutcome.Claimed)
            {
                var claim = new HeldClaim(this, path, token);
                // The blob may have landed between the look and the claim.
                if (Contains(digest))
                {
                    await claim.DisposeAsync();
                    return null;
                }

                return claim;
            }

            if (ReadClaim(path) is not { } holder)
            {
                // Released between our attempt and our look: try again at once.
                continue;
            }

            var refreshed = File.GetLastWriteTimeUtc(path);
            if (watched is not { } seen || seen.Holder != holder || seen.Refreshed != refreshed)
            {
                watched = (holder, refreshed, Stopwatch.GetTimestamp());
            }

            var silent = Stopwatch.GetElapsedTime(watched.Value.Since);
            if (holder.Writer?.IsRunning() == false || (holder.Writer?.IsRunning() is null && silent > ClaimStaleAfter))
            {
                Break(path, holder);
                watched = null;
                continue;
            }

            await Task.Delay(ClaimPoll, cancellationToken);
        }
    }

    private enum ClaimOutcome
    {
        Claimed,
        Taken,
        Unsupported,
    }

    private (ClaimOutcome Outcome, string Token) TryClaim(string path)
    {
        Directory.CreateDirectory(TemporaryFolder);
        var token = Guid.NewGuid().ToString("N");
        var own = TemporaryPath(Path.GetFileNameWithoutExtension(path), "claiming");
        File.WriteAllText(own, $"{StoreWriter.Current} {token}\n");
        try
        {
            var errno = UnixFile.TryLink(own, path);
            // Over NFS a lost reply may report EEXIST for a link that was made: the link count tells.
            if (errno == 0 || (errno == UnixFile.EEXIST && UnixFile.Stat(own).LinkCount == 2))
            {
                Hold(path);
                return (ClaimOutcome.Claimed, token);
            }

            return (errno == UnixFile.EEXIST ? ClaimOutcome.Taken : ClaimOutcome.Unsupported, token);
        }
        finally
        {
            TryDelete(own);
        }
    }

    /// <summary>Who holds a claim, or null when there is none (or it cannot be read, as while it is being replaced).</summary>
    private static ClaimHolder? ReadClaim(string path)
    {
        try
        {
            var parts = File.ReadAllText(path).Trim().Split(' ');
            return parts.Length == 2 ? new ClaimHolder(StoreWriter.Parse(parts[0]), parts[1]) : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Breaks a dead build's claim: renamed away (one breaker wins), and put back should it turn out to be a new
    /// claim that replaced the dead one meanwhile.
    /// </summary>
    private void Break(string path, ClaimHolder dead)
    {
        var broken = TemporaryPath(Path.GetFileNameWithoutExtension(path), "broken");
        try
        {
            File.Move(path, broken, overwrite: false);
        }
        catch (IOException)
        {
            return;
        }

        if (ReadClaim(broken) is { } taken && taken != dead)
        {
            UnixFile.TryLink(broken, path);
        }

        TryDelete(broken);
    }

    private void Hold(string path)
    {
        lock (_heldClaims)
        {
            _heldClaims.Add(path);
            _heartbeat ??= new Timer(_ => Refresh(), null, ClaimHeartbeat, ClaimHeartbeat);
        }
    }

    private void Release(string path, string token)
    {
        if (ReadClaim(path) is { } holder && holder.Token == token)
        {
            TryDelete(path);
        }

        lock (_heldClaims)
        {
            _heldClaims.Remove(path);
            if (_heldClaims.Count == 0)
            {
                _heartbeat?.Dispose();
                _heartbeat = null;
            }
        }
    }

    private void Refresh()
    {
        string[] held;
        lock (_heldClaims)
        {
            held = [.. _heldClaims];
        }

        foreach (var path in held)
        {
            try
            {
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private sealed record ClaimHolder(StoreWriter? Writer, string Token);

    private sealed class HeldClaim(ContentStore store, string path, string token) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                store.Release(path, token);
            }

            return ValueTask.CompletedTask;
        }
    }
}
