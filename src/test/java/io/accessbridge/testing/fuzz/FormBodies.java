package io.accessbridge.testing.fuzz;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Form ({@code application/x-www-form-urlencoded}) and multipart ({@code multipart/form-data})
 * bodies as a misconfigured device or integrator sends them to a JSON input: well-formed ones with
 * fields, a file part of binary bytes and a JSON payload inside, and broken ones (no boundary, a
 * boundary the body does not use, no closing delimiter, bad percent-encoding, a field longer than
 * the HTTP server's form decoder takes, empty). The HTTP server must not decode any of them: the
 * bridge answers 415 and keeps each exactly as sent.
 */
public final class FormBodies {

    /** Multipart content type prefix. */
    public static final String MULTIPART = "multipart/form-data";
    /** Form content type. */
    public static final String URLENCODED = "application/x-www-form-urlencoded";

    private FormBodies() {
    }

    /** One body with the content type it is sent with; {@code what} names the case in failures. */
    public record Form(String what, String contentType, byte[] body) {

        @Override
        public String toString() {
            return "Form[" + what + ", Content-Type " + contentType + ", " + body.length + " bytes]";
        }
    }

    /** One part of a multipart body; {@code fileName} and {@code contentType} may be {@code null}. */
    public record Part(String name, String fileName, String contentType, byte[] content) {
    }

    /** A multipart body with the given boundary; {@code closed} false leaves out the closing delimiter. */
    public static byte[] multipart(String boundary, List<Part> parts, boolean closed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            write(out, "--" + boundary + "\r\n");
            write(out, "Content-Disposition: form-data; name=\"" + p.name() + "\""
                    + (p.fileName() == null ? "" : "; filename=\"" + p.fileName() + "\"") + "\r\n");
            if (p.contentType() != null) {
                write(out, "Content-Type: " + p.contentType() + "\r\n");
            }
            write(out, "\r\n");
            out.writeBytes(p.content());
            write(out, "\r\n");
        }
        if (closed) {
            write(out, "--" + boundary + "--\r\n");
        }
        return out.toByteArray();
    }

    /** Every byte value, CR LF and a would-be delimiter among them: what a JPEG part may hold. */
    public static byte[] binary(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        if (size > 40) {
            System.arraycopy("\r\n--not-the-boundary\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, b, 10, 22);
        }
        return b;
    }

    /**
     * The fixed cases every run covers, around {@code json} (a device's JSON record).
     *
     * @param json a JSON record, sent inside several of the bodies
     */
    public static List<Form> cases(byte[] json) {
        String boundary = "----bridge-test-7MA4YWxkTrZu0gW";
        String jsonText = new String(json, StandardCharsets.UTF_8);
        List<Form> forms = new ArrayList<>();
        forms.add(new Form("form fields", URLENCODED,
                bytes("type=recognition&deviceSN=AB12&name=J%C3%BCrgen+M%C3%BCller&pass=true")));
        forms.add(new Form("form with the JSON record as a field", URLENCODED + "; charset=UTF-8",
                bytes("data=" + URLEncoder.encode(jsonText, StandardCharsets.UTF_8))));
        forms.add(new Form("the JSON record sent as a form", URLENCODED, json));
        forms.add(new Form("form with broken percent-encoding", URLENCODED, bytes("a=%%%&b=%zz&%=1&c=%C3")));
        forms.add(new Form("form field longer than the server's decoder takes", URLENCODED,
                bytes("photo=" + "A".repeat(9_000) + "&type=recognition")));
        forms.add(new Form("empty form", URLENCODED, new byte[0]));
        forms.add(new Form("multipart with a field, the JSON record and a file part", MULTIPART + "; boundary=" + boundary,
                multipart(boundary, List.of(
                        new Part("type", null, null, bytes("recognition")),
                        new Part("event", "event.json", "application/json", json),
                        new Part("rgb_image", "face.jpg", "image/jpeg", binary(3_000))), true)));
        forms.add(new Form("multipart without a boundary", MULTIPART,
                multipart(boundary, List.of(new Part("event", null, "application/json", json)), true)));
        forms.add(new Form("multipart whose body has another boundary", MULTIPART + "; boundary=xyz",
                multipart(boundary, List.of(new Part("event", null, null, json)), true)));
        forms.add(new Form("multipart without its closing delimiter", MULTIPART + "; boundary=" + boundary,
                multipart(boundary, List.of(new Part("rgb_image", "face.jpg", "image/jpeg", binary(500))), false)));
        forms.add(new Form("multipart with a part header over several lines", "Multipart/Form-Data; BOUNDARY=\"q q\"",
                bytes("--q q\r\nContent-Disposition: form-data;\r\n name=\"x\"\r\n\r\nv\r\n--q q--\r\n")));
        forms.add(new Form("multipart of binary bytes", MULTIPART + "; boundary=" + boundary, binary(700)));
        forms.add(new Form("empty multipart", MULTIPART + "; boundary=" + boundary, new byte[0]));
        return forms;
    }

    /** A multipart body with a file part of {@code size} bytes or more (to exceed the size limit). */
    public static Form oversizedMultipart(int size) {
        String boundary = "big-" + size;
        return new Form("multipart over the size limit", MULTIPART + "; boundary=" + boundary,
                multipart(boundary, List.of(new Part("rgb_image", "face.jpg", "image/jpeg", binary(size))), true));
    }

    /** A form body of {@code size} bytes or more (to exceed the size limit). */
    public static Form oversizedForm(int size) {
        return new Form("form over the size limit", URLENCODED, bytes("photo=" + "B".repeat(size)));
    }

    /** Any of the bodies above, with random file bytes, fields and boundaries around {@code json}. */
    public static Arbitrary<Form> forms(Arbitrary<byte[]> json) {
        Arbitrary<String> boundary = Arbitraries.strings().withChars("abcXYZ0123456789-_'()+,./:=?")
                .ofMinLength(1).ofMaxLength(70).filter(b -> !b.endsWith(" "));
        Arbitrary<byte[]> file = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(2_000);
        Arbitrary<String> text = Arbitraries.strings().ofMinLength(0).ofMaxLength(60);
        Arbitrary<Form> multipart = Combinators.combine(boundary, file, json, text, Arbitraries.of(true, false),
                Arbitraries.of("", "; boundary=", "; charset=utf-8; boundary=", "; boundary=other-"))
                .as((b, f, j, t, closed, param) -> {
                    String ct = MULTIPART + (param.isEmpty() ? "" : param + (param.endsWith("-") ? b + "x" : b));
                    return new Form("random multipart", ct, multipart(b, List.of(
                            new Part("note", null, "text/plain; charset=utf-8", bytes(t)),
                            new Part("event", "event.json", "application/json", j),
                            new Part("rgb_image", "face.jpg", "image/jpeg", f)), closed));
                });
        Arbitrary<Form> urlencoded = Combinators.combine(json, text, Arbitraries.of("", "; charset=UTF-8"))
                .as((j, t, param) -> new Form("random form", URLENCODED + param, bytes("note=" + t + "&data="
                        + URLEncoder.encode(new String(j, StandardCharsets.UTF_8), StandardCharsets.UTF_8))));
        Arbitrary<Form> raw = Combinators.combine(Arbitraries.of(MULTIPART, MULTIPART + "; boundary=xyz", URLENCODED),
                Arbitraries.oneOf(json, Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300)))
                .as((ct, body) -> new Form("raw bytes as a form", ct, body));
        return Arbitraries.frequencyOf(Tuple.of(3, multipart), Tuple.of(2, urlencoded), Tuple.of(2, raw),
                Tuple.of(1, Arbitraries.of(cases(bytes("{\"type\":\"recognition\",\"data\":{}}")))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
