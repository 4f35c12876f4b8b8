package io.accessbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

/** Which content types the form body capture takes; over HTTP in V1PushFuzzIT and V3ReportIT. */
class FormBodyCaptureTest {

    @Test
    void takesTheContentTypesTheHttpServerWouldDecodeAsAForm() {
        assertThat(FormBodyCapture.isForm("multipart/form-data")).isTrue();
        assertThat(FormBodyCapture.isForm("multipart/form-data; boundary=xyz")).isTrue();
        assertThat(FormBodyCapture.isForm("Multipart/Form-Data; BOUNDARY=\"q q\"")).isTrue();
        assertThat(FormBodyCapture.isForm(" multipart/form-data")).isTrue();
        assertThat(FormBodyCapture.isForm("application/x-www-form-urlencoded")).isTrue();
        assertThat(FormBodyCapture.isForm("APPLICATION/X-WWW-FORM-URLENCODED;charset=UTF-8")).isTrue();
    }

    @Test
    void leavesEveryOtherContentTypeToTheHttpServer() {
        assertThat(FormBodyCapture.isForm(null)).isFalse();
        assertThat(FormBodyCapture.isForm("")).isFalse();
        assertThat(FormBodyCapture.isForm("application/json")).isFalse();
        assertThat(FormBodyCapture.isForm("text/plain")).isFalse();
        assertThat(FormBodyCapture.isForm("multipart/mixed; boundary=xyz")).isFalse();
        assertThat(FormBodyCapture.isForm("multipart/form")).isFalse();
        assertThat(FormBodyCapture.isForm("application/json; x=multipart/form-data")).isFalse();
        assertThat(FormBodyCapture.isForm("application/x-www-form")).isFalse();
    }

    @Test
    void restoreLeavesABodyTheHttpServerGaveAndAMessageNotFromItAlone() {
        DefaultMessage json = new DefaultMessage(new DefaultCamelContext());
        byte[] body = {'{', '}'};
        json.setBody(body);
        FormBodyCapture.restore(json);
        assertThat(json.getBody()).isSameAs(body);

        DefaultMessage other = new DefaultMessage(new DefaultCamelContext());
        FormBodyCapture.restore(other);
        assertThat(other.getBody()).isNull();
    }
}
