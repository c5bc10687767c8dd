package io.switchboard.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * One attribute condition of a {@code match} step: {@code attribute op value}, or, for conditions on members,
 * {@code attribute op} the source's {@code sourceAttribute}. Numbers compare as numbers, strings as strings;
 * {@code in} takes an array, {@code contains} tests an array element or a substring. An attribute that is
 * absent satisfies no condition.
 */
public record Condition(String attribute, Op op, Object value, String sourceAttribute) {

  /** The comparison, with its JSON spelling. */
  public enum Op {
    EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("in"), CONTAINS("contains");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    static Op parse(Object symbol, String where) {
      return Arrays.stream(values()).filter(op -> op.symbol.equals(symbol)).findFirst()
          .orElseThrow(() -> new InvalidDefinitionException(
              where + ".op must be one of =, !=, <, <=, >, >=, in, contains; not " + symbol));
    }
  }

  /** Whether {@code attributes} satisfy this condition; {@code source} supplies a {@code sourceAttribute}. */
  public boolean test(JsonObject attributes, JsonObject source) {
    Object actual = attributes.getValue(attribute);
    Object expected = sourceAttribute == null ? value : source.getValue(sourceAttribute);
    if (actual == null || expected == null) {
      return false;
    }
    return switch (op) {
      case EQ -> same(actual, expected);
      case NE -> !same(actual, expected);
      case LT -> ordered(actual, expected, order -> order < 0);
      case LE -> ordered(actual, expected, order -> order <= 0);
      case GT -> ordered(actual, expected, order -> order > 0);
      case GE -> ordered(actual, expected, order -> order >= 0);
      case IN -> expected instanceof JsonArray options && options.stream().anyMatch(option -> same(actual, option));
      case CONTAINS -> actual instanceof JsonArray items ? items.stream().anyMatch(item -> same(item, expected))
          : actual instanceof String text && expected instanceof String part && text.contains(part);
    };
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
    }
    return Objects.equals(a, b);
  }

  /** Orders two numbers or two strings; any other pair is incomparable and satisfies no ordering. */
  private static boolean ordered(Object a, Object b, IntPredicate test) {
    if (a instanceof Number x && b instanceof Number y) {
      return test.test(Double.compare(x.doubleValue(), y.doubleValue()));
    }
    if (a instanceof String x && b instanceof String y) {
      return test.test(x.compareTo(y));
    }
    return false;
  }

  @Override
  public String toString() {
    return attribute + " " + op.symbol + " " + (sourceAttribute == null ? String.valueOf(value) : "source." + sourceAttribute);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("attribute", attribute).put("op", op.symbol);
    return sourceAttribute == null ? json.put("value", value) : json.put("sourceAttribute", sourceAttribute);
  }

  static Condition fromJson(Object json, String where, boolean mayReferToSource) {
    if (!(json instanceof JsonObject object)) {
      throw new InvalidDefinitionException(where + " must be an object {\"attribute\",\"op\",\"value\"}");
    }
    if (!(object.getValue("attribute") instanceof String attribute) || attribute.isEmpty()) {
      throw new InvalidDefinitionException(where + ".attribute must be a non-empty string");
    }
    Op op = Op.parse(object.getValue("op"), where);
    Object sourceAttribute = object.getValue("sourceAttribute");
    Object value = object.getValue("value");
    if (sourceAttribute != null) {
      if (!mayReferToSource || !(sourceAttribute instanceof String)) {
        throw new InvalidDefinitionException(where + ".sourceAttribute is only for member conditions, as a string");
      }
      if (value != null) {
        throw new InvalidDefinitionException(where + " takes value or sourceAttribute, not both");
      }
    } else if (value == null) {
      throw new InvalidDefinitionException(where + ".value is required");
    } else if (op == Op.IN && !(value instanceof JsonArray)) {
      throw new InvalidDefinitionException(where + ".value must be an array for in");
    } else if (value instanceof JsonObject) {
      throw new InvalidDefinitionException(where + ".value must be a string, number, boolean or array");
    }
    return new Condition(attribute, op, value, (String) sourceAttribute);
  }
}
