package ai.continuum.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code GET /openapi}: the API's OpenAPI 3.1 document, maintained by hand in {@code openapi/continuum.yaml} beside
 * the routes (OpenApiDocumentTest holds the two together). YAML by default, JSON when the {@code Accept} header
 * prefers {@code application/json}. Public: the document holds no secret. Both forms are built once.
 */
public final class OpenApiResource implements HttpService {
    /** Classpath location of the document. */
    public static final String DOCUMENT = "openapi/continuum.yaml";

    private final byte[] yaml;
    private final byte[] json;

    public OpenApiResource() {
        try (InputStream in = Objects.requireNonNull(
                OpenApiResource.class.getClassLoader().getResourceAsStream(DOCUMENT),
                DOCUMENT + " is not on the class path")) {
            yaml = in.readAllBytes();
            final Object tree =
                    new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(yaml, StandardCharsets.UTF_8));
            json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + DOCUMENT, e);
        }
    }

    @Override
    public void routing(final HttpRules rules) {
        rules.get("/", this::document);
    }

    private void document(final ServerRequest req, final ServerResponse res) {
        final boolean wantsJson = req.headers()
                .bestAccepted(HttpMediaType.create("application/yaml"), HttpMediaType.create("application/json"))
                .map(type -> type.subtype().equals("json"))
                .orElse(false);
        res.header(HeaderNames.CONTENT_TYPE, wantsJson ? "application/json" : "application/yaml; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.send(wantsJson ? json : yaml);
    }
}
