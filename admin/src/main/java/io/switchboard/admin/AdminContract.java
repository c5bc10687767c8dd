package io.switchboard.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The admin API's OpenAPI 3.1 document ({@value #RESOURCE}), served as it is at {@code GET /api/v1/openapi.json} and
 * checked against every request before its endpoint runs: a request the document does not describe is 404, one that
 * breaks it 400 (see {@link ApiError}). So an endpoint exists only once the document describes it, and adding one
 * means adding it to the document.
 */
public final class AdminContract {

  static final String RESOURCE = "/io/switchboard/admin/openapi.json";
  private static final String DOCUMENT = "see GET " + AdminApi.PREFIX + "/openapi.json";
  /** Where Vert.x's message of a schema failure gives its own pick of the schema's errors. */
  private static final String REASON = ". Reason:";
  private static final String ADDITIONAL = "additionalProperties";
  private static final int MAX_VALUE_CHARS = 80;
  /** Keywords whose errors only say that an error was found below them. */
  private static final Set<String> GENERIC = Set.of("properties", "$ref", "items", "prefixItems", ADDITIONAL,
      "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "unevaluatedProperties",
      "unevaluatedItems", "contains", "propertyNames");

  private final OpenAPIContract contract;
  private final RequestValidator validator;
  private final Buffer document;

  private AdminContract(Vertx vertx, OpenAPIContract contract, Buffer document) {
    this.contract = contract;
    this.validator = RequestValidator.create(vertx, contract);
    this.document = document;
  }

  /** Reads and resolves the document; fails when it is not a valid OpenAPI document. */
  public static Future<AdminContract> load(Vertx vertx) {
    return vertx.executeBlocking(AdminContract::read, false).compose(document -> OpenAPIContract
        .from(vertx, new JsonObject(document))
        .map(contract -> new AdminContract(vertx, contract, document)));
  }

  private static Buffer read() {
    try (InputStream in = AdminContract.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document as resolved, for tests that compare it with the routes. */
  OpenAPIContract contract() {
    return contract;
  }

  /**
   * The answer to a request that breaks the document: what broke it and, for a schema, the most specific of the
   * schema's errors with where it is in the value, and the value of the body there (e.g.
   * {@code geo.lat (200): 200 is greater than 90}).
   */
  private static ApiError refusal(ValidatorException invalid, Buffer body) {
    String message = invalid.getMessage();
    int reason = message.indexOf(REASON);
    if (!(invalid instanceof SchemaValidationException schema) || reason < 0) {
      return ApiError.badRequest(message);
    }
    List<OutputUnit> errors = new ArrayList<>();
    flatten(schema.getOutputUnit(), errors);
    List<OutputUnit> specific = errors.stream().filter(error -> !GENERIC.contains(keyword(error))).toList();
    if (specific.isEmpty()) {
      // only an additionalProperties error: a property the schema does not have
      return errors.stream().filter(error -> ADDITIONAL.equals(keyword(error))).findFirst()
          .map(unknown -> ApiError.badRequest(message.substring(0, reason) + ": " + location(unknown)
              + " is not a property it may have (" + DOCUMENT + ")"))
          .orElse(ApiError.badRequest(message));
    }
    OutputUnit first = specific.stream().max(Comparator
        .comparingInt((OutputUnit error) -> depth(error.getInstanceLocation()))
        .thenComparingInt(error -> error.getKeywordLocation().length())).orElseThrow();
    String where = location(first);
    String value = where.isEmpty() ? null : valueAt(body, first);
    return ApiError.badRequest(message.substring(0, reason) + ": " + (where.isEmpty() ? "" : where
        + (value == null ? "" : " (" + value + ")") + ": ") + first.getError());
  }

  /** The JSON of the body's value where {@code error} is, shortened; null when there is none. */
  private static String valueAt(Buffer body, OutputUnit error) {
    if (body == null) {
      return null;
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      return null;
    }
    for (String segment : segments(error)) {
      if (value instanceof JsonObject object) {
        value = object.getValue(segment);
      } else if (value instanceof JsonArray array && segment.chars().allMatch(Character::isDigit)
          && Integer.parseInt(segment) < array.size()) {
        value = array.getValue(Integer.parseInt(segment));
      } else {
        return null;
      }
    }
    String json = Json.encode(value);
    return json.length() <= MAX_VALUE_CHARS ? json : json.substring(0, MAX_VALUE_CHARS) + "…";
  }

  /** Whether {@code contentType} (parameters such as charset aside, in any case) is one the request body may have. */
  private static boolean accepts(RequestBody body, String contentType) {
    return contentType != null && body.getContent().containsKey(mediaType(contentType));
  }

  private static String mediaType(String contentType) {
    return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  /** The content type as the document spells it, which is what the validator looks up (it minds the case). */
  private static String declared(Operation operation, String contentType) {
    return operation.getRequestBody() == null ? contentType : mediaType(contentType);
  }

  /** A request whose content type is given as the document spells it. */
  private record AsDeclared(ValidatableRequest request, String contentType) implements ValidatableRequest {
    @Override
    public String getContentType() {
      return contentType;
    }

    @Override
    public Map<String, RequestParameter> getCookies() {
      return request.getCookies();
    }

    @Override
    public Map<String, RequestParameter> getPathParameters() {
      return request.getPathParameters();
    }

    @Override
    public Map<String, RequestParameter> getQuery() {
      return request.getQuery();
    }

    @Override
    public Map<String, RequestParameter> getHeaders() {
      return request.getHeaders();
    }

    @Override
    public RequestParameter getBody() {
      return request.getBody();
    }
  }

  /** The segments of the error's JSON pointer, unescaped. */
  private static List<String> segments(OutputUnit error) {
    String pointer = error.getInstanceLocation() == null ? "#" : error.getInstanceLocation();
    return Arrays.stream(pointer.replaceFirst("^#/?", "").split("/")).filter(segment -> !segment.isEmpty())
        .map(segment -> segment.replace("~1", "/").replace("~0", "~")).toList();
  }

  private static void flatten(OutputUnit unit, List<OutputUnit> into) {
    if (unit.getErrors() != null) {
      for (OutputUnit error : unit.getErrors()) {
        into.add(error);
        flatten(error, into);
      }
    }
  }

  private static String keyword(OutputUnit error) {
    String location = error.getKeywordLocation();
    return location == null ? "" : location.substring(location.lastIndexOf('/') + 1);
  }

  private static int depth(String pointer) {
    return pointer == null ? 0 : (int) pointer.chars().filter(c -> c == '/').count();
  }

  /** A JSON pointer such as {@code #/records/1/ts} as a path such as {@code records[1].ts}; empty for the root. */
  private static String location(OutputUnit error) {
    StringBuilder path = new StringBuilder();
    for (String name : segments(error)) {
      if (name.chars().allMatch(Character::isDigit)) {
        path.append('[').append(name).append(']');
      } else {
        path.append(path.length() == 0 ? "" : ".").append(name);
      }
    }
    return path.toString();
  }

  /** Answers {@code GET /api/v1/openapi.json}. */
  void serve(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, AdminApi.JSON).end(document);
  }

  /**
   * Goes on to the endpoint when the request is one the document describes and keeps to it; fails it with 404, or
   * with the validation's failure, otherwise. Runs after the body was read.
   */
  void validate(RoutingContext ctx) {
    Operation operation = contract.findOperation(ctx.request().path(), ctx.request().method());
    if (operation == null) {
      ctx.fail(ApiError.notFound("no endpoint " + ctx.request().method() + " " + ctx.request().path()));
      return;
    }
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (operation.getRequestBody() != null && !accepts(operation.getRequestBody(), contentType)) {
      ctx.fail(ApiError.unsupportedMediaType("the body must be sent with Content-Type: " + String.join(" or ",
          operation.getRequestBody().getContent().keySet()) + (contentType == null ? "; this request has none"
          : ", not " + contentType)));
      return;
    }
    RequestUtils.extract(ctx.request(), operation, () -> Future.succeededFuture(ctx.body().buffer()))
        .map(request -> contentType == null ? request : new AsDeclared(request, declared(operation, contentType)))
        .compose(request -> validator.validate(request, operation.getOperationId()))
        .onSuccess(valid -> ctx.next())
        .onFailure(failure -> ctx.fail(failure instanceof ValidatorException invalid
            ? refusal(invalid, ctx.body().buffer()) : failure));
  }
}
