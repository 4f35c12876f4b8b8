package io.accessbridge.v1.device;

import io.accessbridge.inventory.DeviceConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the bridge trusts one v1 device's https/wss certificate: only through the inventory's
 * {@code tls.truststore} or {@code tls.pinnedSha256}, never trust-all; host names are checked
 * per {@code tls.verifyHostname}. A device on plain http/ws gets no TLS at all.
 *
 * @param ssl            whether the device is addressed over https/wss
 * @param trust          the trust options, {@code null} for the JDK's default CAs (a device with a CA-issued certificate)
 * @param verifyHostname whether the certificate must name the host the device is addressed by
 */
public record V1DeviceTls(boolean ssl, TrustOptions trust, boolean verifyHostname) {

    /** The TLS of a device, resolving the truststore password from {@code environment}. */
    public static V1DeviceTls of(DeviceConfig device, Map<String, String> environment) {
        boolean ssl = device.address() != null && "https".equalsIgnoreCase(device.address().getScheme());
        DeviceConfig.Tls tls = device.tls();
        if (!ssl) {
            return new V1DeviceTls(false, null, true);
        }
        if (tls == null) {
            return new V1DeviceTls(true, null, true);
        }
        TrustOptions trust;
        if (tls.pinnedSha256() != null) {
            trust = TrustOptions.wrap(new PinnedCertificateTrustManager(tls.pinnedSha256()));
        } else {
            String password = tls.truststorePassword() == null ? null : tls.truststorePassword().resolve(environment);
            String path = tls.truststore();
            trust = path.toLowerCase(Locale.ROOT).endsWith(".jks")
                    ? new JksOptions().setPath(path).setPassword(password)
                    : new PfxOptions().setPath(path).setPassword(password);
        }
        return new V1DeviceTls(true, trust, tls.verifyHostname());
    }

    /** Applies this TLS to WebSocket client options. */
    public WebSocketClientOptions apply(WebSocketClientOptions o) {
        o.setTrustAll(false);
        if (ssl) {
            o.setSsl(true).setVerifyHost(verifyHostname);
            if (trust != null) {
                o.setTrustOptions(trust);
            }
        }
        return o;
    }

    /** Applies this TLS to HTTP client options. */
    public HttpClientOptions apply(HttpClientOptions o) {
        o.setTrustAll(false);
        if (ssl) {
            o.setSsl(true).setVerifyHost(verifyHostname);
            if (trust != null) {
                o.setTrustOptions(trust);
            }
        }
        return o;
    }

    /** SHA-256 fingerprint of a certificate, lower-case hex without colons. */
    public static String sha256(X509Certificate certificate) throws CertificateException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot hash certificate", e);
        }
    }

    /**
     * Trusts exactly the certificate with the pinned SHA-256 fingerprint. Once the pin matches, the
     * certificate is checked as its own trust anchor by the JDK's PKIX trust manager, which checks
     * its validity and, when the connection asks for it ({@code verifyHostname}), the host name.
     */
    static final class PinnedCertificateTrustManager extends X509ExtendedTrustManager {

        private final String pin;

        PinnedCertificateTrustManager(String pinnedSha256) {
            this.pin = pinnedSha256.replace(":", "").toLowerCase(Locale.ROOT);
        }

        private X509Certificate pinned(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("device sent no certificate");
            }
            if (!pin.equals(sha256(chain[0]))) {
                throw new CertificateException("device certificate does not match the pinned SHA-256 fingerprint");
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
            } catch (GeneralSecurityException | java.io.IOException e) {
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
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
