using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lading.Bootstrap;

/// <summary>
/// The registry's TLS material as PEM: the CA certificate clients trust, the server certificate and its key; the CA key
/// (present only when Lading generated the CA) is for the caller to keep, and never goes into a package.
/// </summary>
public sealed record SiteTlsMaterial(string? CaCertificatePem, string ServerCertificatePem, string ServerKeyPem, string? CaKeyPem = null)
{
    /// <summary>Writes ca.pem (when known), server.pem and server-key.pem (owner-only) into the folder.</summary>
    public void WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        if (CaCertificatePem is not null)
        {
            File.WriteAllText(Path.Combine(folder, SiteFiles.CaCertificate), CaCertificatePem);
        }

        File.WriteAllText(Path.Combine(folder, SiteFiles.ServerCertificate), ServerCertificatePem);
        var key = Path.Combine(folder, SiteFiles.ServerKey);
        File.WriteAllText(key, string.Empty);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(key, ServerKeyPem);
    }
}

/// <summary>Makes or checks the registry's TLS material with .NET's own cryptography: no openssl needed at build time.</summary>
public static class SiteTls
{
    /// <summary>A new CA and a server certificate for the site's hostname and addresses, valid from an hour before <paramref name="now"/>.</summary>
    public static SiteTlsMaterial Generate(SiteOptions site, DateTimeOffset now, TimeSpan? validity = null)
    {
        var notBefore = now.AddHours(-1);
        var notAfter = now + (validity ?? TimeSpan.FromDays(3650));

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={site.Hostname} offline CA, O=Lading", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var caSki = new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false);
        caRequest.CertificateExtensions.Add(caSki);
        // The CA outlives the server certificate by a day so the pair never expires out of order.
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest($"CN={site.Hostname}", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(site.Hostname);
        foreach (var address in site.Addresses)
        {
            names.AddIpAddress(address);
        }

        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serverRequest.PublicKey, false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(caSki));
        using var server = serverRequest.Create(ca, notBefore, notAfter, SerialNumber());

        return new SiteTlsMaterial(ca.ExportCertificatePem() + "\n", server.ExportCertificatePem() + "\n", serverKey.ExportPkcs8PrivateKeyPem() + "\n", caKey.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Supplied material: the key must belong to the certificate, and the certificate must name the site's hostname.</summary>
    public static SiteTlsMaterial FromFiles(SiteOptions site, string certificateFile, string keyFile, string? caFile = null)
    {
        foreach (var file in new[] { certificateFile, keyFile, caFile }.OfType<string>())
        {
            if (!File.Exists(file))
            {
                throw new BootstrapException(file, "the TLS file does not exist.");
            }
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new BootstrapException(keyFile, $"this is not the PEM private key of {certificateFile} ({e.Message}).", e);
        }

        using (certificate)
        {
            if (!certificate.MatchesHostname(site.Hostname))
            {
                throw new BootstrapException(certificateFile, $"the certificate does not name the site hostname {site.Hostname}; clients would refuse the registry.");
            }
        }

        return new SiteTlsMaterial(caFile is null ? null : File.ReadAllText(caFile), File.ReadAllText(certificateFile), File.ReadAllText(keyFile));
    }

    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        // A positive serial: the high bit of the first byte is the sign in DER.
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }
}
