namespace Lading.Packaging.Upload;

/// <summary>The <c>&lt;name&gt;.sha256</c> written beside an uploaded file, in sha256sum's format so <c>sha256sum -c</c> checks it.</summary>
public static class Sha256File
{
    public static string NameFor(string fileName) => fileName + ".sha256";

    public static string Content(string sha256Hex, string fileName) => $"{sha256Hex}  {fileName}\n";
}
