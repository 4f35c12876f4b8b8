package io.accessbridge.tls;

import io.accessbridge.inventory.DeviceConfig;
import io.accessbridge.inventory.SecretRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the bridge trusts one device's https/wss certificate, whatever its generation: only through
 * the inventory's {@code tls.truststore} or {@code tls.pinnedSha256}, never trust-all, with host
 * names checked per {@code tls.verifyHostname}. A device on plain http/ws gets no TLS at all; an
 * https device without a {@code tls} block is trusted by the JVM's default CAs (the inventory loader
 * asks for a {@code tls} block on every https device, so this is for devices built in code).
 *
 * @param https          whether the device is addressed over https (its wss WebSocket too)
 * @param trustManager   the device's own trust ({@link DeviceTrustManager}), {@code null} for the JVM's default CAs
 * @param verifyHostname whether the certificate must name the host the device is addressed by
 */
public record DeviceTls(boolean https, X509ExtendedTrustManager trustManager, boolean verifyHostname) {

    /** No TLS: a device on plain http. */
    public static final DeviceTls PLAIN = new DeviceTls(false, null, true);

    /**
     * The TLS of a device, reading its truststore now (once) and resolving the truststore password
     * from {@code environment}.
     *
     * @throws IllegalStateException when the truststore or its password cannot be read; the message
     *                               names the file and the password's reference, never the password
     */
    public static DeviceTls of(DeviceConfig device, Map<String, String> environment) {
        boolean https = device.address() != null && "https".equalsIgnoreCase(device.address().getScheme());
        DeviceConfig.Tls tls = device.tls();
        if (!https) {
            return PLAIN;
        }
        if (tls == null) {
            return new DeviceTls(true, null, true);
        }
        X509ExtendedTrustManager certificates = tls.pinnedSha256() != null
                ? new PinnedCertificateTrustManager(tls.pinnedSha256())
                : trustManagerOf(loadTrustStore(tls.truststore(), tls.truststorePassword(), environment));
        return new DeviceTls(true, new DeviceTrustManager(certificates, tls.verifyHostname()), tls.verifyHostname());
    }

    /** Whether the inventory decides which certificate is trusted (else the JVM's default CAs, or no TLS). */
    public boolean trustsByInventory() {
        return https && trustManager != null;
    }

    /**
     * A client TLS context trusting what this device's {@code tls} block trusts; for a device without
     * one, the JVM's default context.
     */
    public SSLContext sslContext() {
        try {
            if (trustManager == null) {
                return SSLContext.getDefault();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trustManager}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a PKCS12 or JKS truststore (the type is recognised from the file) with its password, if any.
     *
     * @param path     the file
     * @param password its password by reference, {@code null} for none
     * @throws IllegalStateException when the file cannot be read or opened with that password, or holds no
     *                               certificate; the message names the file (and the reference), never the password
     */
    public static KeyStore loadTrustStore(String path, SecretRef password, Map<String, String> environment) {
        Path file = Path.of(path);
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("file " + path + " cannot be read");
        }
        char[] secret = password == null ? null : password.resolve(environment).toCharArray();
        KeyStore store;
        try {
            store = KeyStore.getInstance(file.toFile(), secret);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("file " + path + " cannot be opened"
                    + (password == null ? " without a password" : " with tls.truststorePassword (" + password + ")")
                    + ": wrong password, or not a PKCS12 or JKS truststore");
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("file " + path + " is not a PKCS12 or JKS truststore");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias) || store.getCertificate(alias) != null) {
                    return store;
                }
            }
        } catch (KeyStoreException e) {
            throw new IllegalStateException("file " + path + " cannot be read as a truststore");
        }
        throw new IllegalStateException("file " + path + " holds no certificate");
    }

    /** The JDK's PKIX trust manager trusting the certificates of {@code store}. */
    static X509ExtendedTrustManager trustManagerOf(KeyStore store) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the truststore: " + e.getMessage(), e);
        }
        throw new IllegalStateException("the JDK offers no PKIX trust manager");
    }

    /** SHA-256 fingerprint of a certificate, lower-case hex without colons (the form of {@code tls.pinnedSha256}). */
    public static String sha256(X509Certificate certificate) throws CertificateException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot hash certificate", e);
        }
    }
}
