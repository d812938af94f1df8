package io.switchboard.gateway.limits;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.util.MultiValueMap;

/**
 * A request whose body was already read (within the limit) by {@link BodyLimitFilter}: the body is served from
 * memory, and a form-encoded body's parameters are parsed from it with Spring's {@link FormHttpMessageConverter}
 * (the container would try to read the consumed stream again), together with the query string's, as the container
 * would. The auth endpoints do not read parameters: they read their fields from the body only (BodyFields).
 */
final class CachedBodyRequest extends HttpServletRequestWrapper {

    private static final FormHttpMessageConverter FORM = new FormHttpMessageConverter();

    private final byte[] body;
    private Map<String, String[]> parameters;

    CachedBodyRequest(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("the body is already in memory");
            }

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset()));
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters().get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        return parameters().get(name);
    }

    private Map<String, String[]> parameters() {
        if (parameters == null) {
            Map<String, String[]> all = new LinkedHashMap<>();
            add(
                    all,
                    getQueryString() == null ? new byte[0] : getQueryString().getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8);
            if (isForm()) {
                add(all, body, charset());
            }
            parameters = Collections.unmodifiableMap(all);
        }
        return parameters;
    }

    private boolean isForm() {
        try {
            return getContentType() != null
                    && MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(getContentType()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Charset charset() {
        String encoding = getCharacterEncoding();
        try {
            return encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private static void add(Map<String, String[]> all, byte[] form, Charset charset) {
        if (form.length == 0) {
            return;
        }
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(new MediaType(MediaType.APPLICATION_FORM_URLENCODED, charset));
        HttpInputMessage message = new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(form);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
        try {
            MultiValueMap<String, ?> parsed = FORM.read(null, message);
            parsed.forEach((name, values) -> all.merge(
                    name, values.stream().map(String::valueOf).toArray(String[]::new), CachedBodyRequest::concat));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] both = new String[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
