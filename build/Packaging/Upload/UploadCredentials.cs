namespace Lading.Packaging.Upload;

/// <summary>Basic auth for an upload target; the password never appears in text.</summary>
public sealed record UploadCredentials(string User, string Password)
{
    public override string ToString() => $"{User}:***";

    internal string BasicParameter => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}"));
}
