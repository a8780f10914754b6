package io.kvmguest.standalone.apiserver;

import java.util.List;

/** One resource type the server serves, as discovery describes it. Group is "" for the core group. */
record ApiResource(String group, String version, String plural, String singular, String kind, boolean namespaced,
    List<String> shortNames, List<String> categories, boolean statusSubresource) {

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
