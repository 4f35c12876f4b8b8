package io.accessbridge.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly the server certificate with the pinned SHA-256 fingerprint. Once the pin matches,
 * the certificate must be within its validity dates and is checked as its own trust anchor by the
 * JDK's PKIX trust manager, which checks, when the connection asks for it (endpoint identification
 * {@code HTTPS}), the host name. Client certificates are refused.
 */
public final class PinnedCertificateTrustManager extends ServerOnlyTrustManager {

    private final String pin;

    /** Trusts the certificate whose DER encoding has this SHA-256 fingerprint (hex, colons allowed, any case). */
    public PinnedCertificateTrustManager(String pinnedSha256) {
        this.pin = pinnedSha256.replace(":", "").toLowerCase(Locale.ROOT);
    }

    private X509Certificate pinned(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("device sent no certificate");
        }
        if (!pin.equals(DeviceTls.sha256(chain[0]))) {
            throw new CertificateException("device certificate does not match the pinned SHA-256 fingerprint");
        }
        try {
            // the JDK's PKIX check accepts a certificate that is itself a trust anchor without looking at its dates
            chain[0].checkValidity();
        } catch (CertificateException e) {
            throw new CertificateException("pinned device certificate is outside its validity dates ("
                    + chain[0].getNotBefore().toInstant() + " to " + chain[0].getNotAfter().toInstant() + ")", e);
        }
        return chain[0];
    }

    private static X509ExtendedTrustManager anchoredAt(X509Certificate cert) throws CertificateException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("pinned", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new CertificateException("cannot check pinned certificate", e);
        }
        throw new CertificateException("no PKIX trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        X509Certificate cert = pinned(chain);
        anchoredAt(cert).checkServerTrusted(new X509Certificate[] {cert}, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        X509Certificate cert = pinned(chain);
        anchoredAt(cert).checkServerTrusted(new X509Certificate[] {cert}, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        X509Certificate cert = pinned(chain);
        anchoredAt(cert).checkServerTrusted(new X509Certificate[] {cert}, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
