using System.Security.Cryptography;

namespace Lading.Common;

/// <summary>A content digest, always sha256: <c>sha256:&lt;64 lowercase hex&gt;</c>.</summary>
public readonly record struct Digest
{
    private Digest(string hex) => Hex = hex;

    public string Hex { get; }

    public string Algorithm => "sha256";

    public override string ToString() => $"sha256:{Hex}";

    public static Digest Parse(string text) =>
        TryParse(text, out var digest) ? digest : throw new FormatException($"'{text}' is not a sha256 digest (expected sha256:<64 lowercase hex>).");

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (text is null || !text.StartsWith("sha256:", StringComparison.Ordinal) || text.Length != 71)
        {
            return false;
        }

        var hex = text[7..];
        if (!hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            return false;
        }

        digest = new Digest(hex);
        return true;
    }

    public static Digest Of(ReadOnlySpan<byte> content) => FromHash(SHA256.HashData(content));

    public static Digest FromHash(byte[] sha256) => new(Convert.ToHexStringLower(sha256));
}
