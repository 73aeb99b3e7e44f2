package dev.wharf.api.aws;

import dev.wharf.error.WharfException;
import dev.wharf.identity.PermissionService;
import dev.wharf.identity.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed, authenticated request of AWS's query protocol (IAM, STS, Wharf's own actions). */
public record QueryRequest(
    String service,
    String action,
    Map<String, String> parameters,
    Principal principal,
    String accessKeyId,
    PermissionService.RequestOrigin origin,
    String requestId) {

  /** An optional parameter, null when absent. */
  public String optional(String name) {
    return parameters.get(name);
  }

  /** A required parameter; absent or empty → ValidationError naming it, as AWS answers. */
  public String required(String name) {
    String value = parameters.get(name);
    if (value == null || value.isEmpty()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value null at '"
          + Character.toLowerCase(name.charAt(0)) + name.substring(1) + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  public Integer optionalInt(String name) {
    String value = parameters.get(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw new WharfException.Invalid("ValidationError", "Value '" + value + "' for parameter " + name + " is not an integer");
    }
  }

  public boolean optionalBoolean(String name) {
    String value = parameters.get(name);
    if (value == null) {
      return false;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw new WharfException.Invalid("ValidationError", "Value '" + value + "' for parameter " + name + " is not a boolean");
    }
    return Boolean.parseBoolean(value);
  }

  /** A list parameter ({@code Name.member.1}, {@code Name.member.2}, …) in member order; empty when absent. */
  public List<String> members(String name) {
    List<String> values = new ArrayList<>();
    for (int i = 1; parameters.containsKey(name + ".member." + i); i++) {
      values.add(parameters.get(name + ".member." + i));
    }
    return values;
  }

  /** One field of a list of structures ({@code Name.member.1.Field}, …) in member order; empty when absent. */
  public List<String> members(String name, String field) {
    List<String> values = new ArrayList<>();
    for (int i = 1; parameters.containsKey(name + ".member." + i + "." + field); i++) {
      values.add(parameters.get(name + ".member." + i + "." + field));
    }
    return values;
  }

  /**
   * A list of Key/Value structures such as {@code Tags} ({@code Tags.member.1.Key}, {@code Tags.member.1.Value},
   * …) in member order; a member without a Value, or a key given twice, is a ValidationError.
   */
  public Map<String, String> keyValueMembers(String name) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 1; parameters.containsKey(name + ".member." + i + ".Key"); i++) {
      String key = parameters.get(name + ".member." + i + ".Key");
      String value = parameters.get(name + ".member." + i + ".Value");
      if (value == null) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value null at '"
            + Character.toLowerCase(name.charAt(0)) + name.substring(1) + "." + i + ".member.value' failed to satisfy"
            + " constraint: Member must not be null");
      }
      if (entries.put(key, value) != null) {
        throw new WharfException.Invalid("InvalidParameterValue", "Duplicate tag keys found: " + key);
      }
    }
    return entries;
  }

  /** Refuses a parameter family Wharf does not implement rather than silently ignoring it. */
  public void refuseUnsupported(String... prefixes) {
    List<String> found = new ArrayList<>();
    for (String key : parameters.keySet()) {
      for (String prefix : prefixes) {
        if (key.equals(prefix) || key.startsWith(prefix + ".")) {
          found.add(prefix);
        }
      }
    }
    if (!found.isEmpty()) {
      throw new WharfException.Invalid("ValidationError", "Parameter " + found.get(0) + " is not supported by Wharf");
    }
  }
}
