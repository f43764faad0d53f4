package dev.ssekit.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads public keys from PEM text. Stateless and thread-safe. */
final class PemKeys {

    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";

    private PemKeys() {
    }

    /**
     * Parses an X.509 SubjectPublicKeyInfo in PEM, trying RSA then EC.
     *
     * @throws IllegalArgumentException if the text holds no RSA or EC public key
     */
    static PublicKey parsePublicKey(String pem) {
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("public key PEM must hold '" + BEGIN
                    + "' ... '" + END + "'");
        }
        String body = pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public key PEM is not valid Base64", e);
        }

        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String family : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(family).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                // Not this family; the next one is tried.
                continue;
            }
        }
        throw new IllegalArgumentException("public key PEM holds neither an RSA nor an EC key");
    }
}
