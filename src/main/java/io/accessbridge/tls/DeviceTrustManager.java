package io.accessbridge.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A device's trust manager: which certificates are trusted is its delegate's decision (a pin or a
 * truststore), whether the host name is checked is the inventory's {@code tls.verifyHostname}.
 *
 * <p>With {@code verifyHostname} the connection is passed on to the delegate, which checks the host
 * name the connection was opened for when the connection asks for it (endpoint identification
 * {@code HTTPS}: the JDK {@link java.net.http.HttpClient} always asks, Vert.x when {@code verifyHost}
 * is on). Without it the delegate checks the certificate without the connection, so no host name is
 * compared. This is how the bridge turns host name checks off for one device of a JDK HTTP client,
 * which otherwise offers only the JVM-wide switch {@code jdk.internal.httpclient.disableHostnameVerification}
 * (and ignores the endpoint identification algorithm of its {@code SSLParameters}). Client
 * certificates are refused.
 */
public final class DeviceTrustManager extends ServerOnlyTrustManager {

    private final X509ExtendedTrustManager certificates;
    private final boolean verifyHostname;

    /**
     * @param certificates   decides which server certificates are trusted
     * @param verifyHostname whether the certificate must name the host the device is addressed by
     */
    public DeviceTrustManager(X509ExtendedTrustManager certificates, boolean verifyHostname) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.verifyHostname = verifyHostname;
    }

    /** Whether host names are checked. */
    public boolean verifiesHostname() {
        return verifyHostname;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        if (verifyHostname) {
            certificates.checkServerTrusted(chain, authType, engine);
        } else {
            certificates.checkServerTrusted(chain, authType);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        if (verifyHostname) {
            certificates.checkServerTrusted(chain, authType, socket);
        } else {
            certificates.checkServerTrusted(chain, authType);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        certificates.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return certificates.getAcceptedIssuers();
    }
}
