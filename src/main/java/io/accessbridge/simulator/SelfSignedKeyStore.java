package io.accessbridge.simulator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Creates a PKCS12 keystore holding a self-signed certificate (EC P-256, SHA256withECDSA) for the
 * HTTPS/WSS servers of the v1 and v3 simulators, using JDK APIs only: the X.509 structure is
 * DER-encoded here and signed with {@link Signature}. The certificate names its host names and IP
 * addresses in subjectAltName, so clients that check host names accept it once they trust it.
 */
public final class SelfSignedKeyStore {

    /**
     * A generated keystore.
     *
     * @param path        the PKCS12 file
     * @param password    its password (also the key's password)
     * @param alias       the key entry's alias
     * @param certificate the self-signed certificate
     */
    public record Generated(Path path, String password, String alias, X509Certificate certificate) {

        /** An in-memory PKCS12 trust store holding only the certificate. */
        public KeyStore trustStore() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setCertificateEntry(alias, certificate);
                return ks;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot build trust store", e);
            }
        }

        /** Writes {@link #trustStore()} to a PKCS12 file. */
        public Path writeTrustStore(Path file, String storePassword) throws IOException {
            try (OutputStream out = Files.newOutputStream(file)) {
                trustStore().store(out, storePassword.toCharArray());
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot write trust store", e);
            }
            return file;
        }

        /** A client TLS context that trusts exactly this certificate (host names still checked). */
        public SSLContext clientSslContext() {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore());
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
                return ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot build TLS context", e);
            }
        }
    }

    private static final String ALIAS = "simulator";
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SelfSignedKeyStore() {
    }

    /** A keystore for {@code localhost} and {@code 127.0.0.1}, valid for a year. */
    public static Generated generate(Path file, String password) throws IOException {
        return generate(file, password, "localhost", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(365));
    }

    /**
     * A keystore with the given subject and alternative names.
     *
     * @param file        where to write the PKCS12 keystore
     * @param password    keystore and key password
     * @param commonName  subject CN
     * @param dnsNames    subjectAltName DNS names
     * @param ipAddresses subjectAltName IP addresses (literals)
     * @param validity    validity from one hour ago
     */
    public static Generated generate(Path file, String password, String commonName, List<String> dnsNames,
                                     List<String> ipAddresses, Duration validity) throws IOException {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = kpg.generateKeyPair();

            byte[] sigAlg = seq(oid("1.2.840.10045.4.3.2"));
            byte[] name = seq(set(seq(oid("2.5.4.3"), tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
            Instant from = Instant.now().minus(Duration.ofHours(1));
            Instant to = from.plus(validity);
            byte[] validityDer = seq(time(from), time(to));
            ByteArrayOutputStream san = new ByteArrayOutputStream();
            for (String dns : dnsNames) {
                san.write(tlv(0x82, dns.getBytes(StandardCharsets.US_ASCII)));
            }
            for (String ip : ipAddresses) {
                san.write(tlv(0x87, InetAddress.getByName(ip).getAddress()));
            }
            byte[] extensions = tlv(0xA3, seq(seq(oid("2.5.29.17"), tlv(0x04, seq(san.toByteArray())))));
            BigInteger serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
            byte[] tbs = seq(
                    tlv(0xA0, tlv(0x02, new byte[] {2})),
                    tlv(0x02, serial.toByteArray()),
                    sigAlg,
                    name,
                    validityDer,
                    name,
                    kp.getPublic().getEncoded(),
                    extensions);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(kp.getPrivate());
            signer.update(tbs);
            byte[] sig = signer.sign();
            byte[] bitString = new byte[sig.length + 1];
            System.arraycopy(sig, 0, bitString, 1, sig.length);
            byte[] der = seq(tbs, sigAlg, tlv(0x03, bitString));

            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            cert.verify(kp.getPublic());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, kp.getPrivate(), password.toCharArray(), new Certificate[] {cert});
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password.toCharArray());
            }
            return new Generated(file, password, ALIAS, cert);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate self-signed certificate", e);
        }
    }

    /** The certificate of the (first) key entry of a PKCS12 keystore, e.g. to pin it. */
    public static X509Certificate certificate(Path keyStore, String password) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            for (String alias : Collections.list(ks.aliases())) {
                if (ks.isKeyEntry(alias) && ks.getCertificate(alias) instanceof X509Certificate cert) {
                    return cert;
                }
            }
            throw new IOException("keystore " + keyStore + " holds no key with a certificate");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read keystore " + keyStore, e);
        }
    }

    /** A server TLS context presenting the key of a PKCS12 keystore (key password = keystore password). */
    public static SSLContext serverSslContext(Path keyStore, String password) throws IOException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use keystore " + keyStore + " for TLS", e);
        }
    }

    private static byte[] time(Instant t) {
        return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            long v = Long.parseLong(parts[i]);
            byte[] tmp = new byte[10];
            int n = 0;
            do {
                tmp[n++] = (byte) (v & 0x7F);
                v >>>= 7;
            } while (v != 0);
            for (int j = n - 1; j >= 0; j--) {
                out.write(tmp[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            int bytes = len > 0xFFFFFF ? 4 : len > 0xFFFF ? 3 : len > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((len >>> (8 * i)) & 0xFF);
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
