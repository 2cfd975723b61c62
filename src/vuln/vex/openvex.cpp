// OpenVEX reader: v0.2.0 (https://openvex.dev/ns/v0.2.0) and the older context
// (https://openvex.dev/ns, v0.0.x, where vulnerability and products are plain strings).
//
// - Products: `@id` (a purl, a CPE, or any other IRI, kept as a bom-ref-like id),
//   `identifiers` {purl, cpe22, cpe23}, and `subcomponents` (same shape). A statement about
//   product P with subcomponents S says the vulnerability in S as shipped in P has the status, so
//   both P's and S's identifiers are products of the entry: findings are on packages, which are
//   the subcomponents, and a component that is P itself is matched too.
// - Timestamp: the statement's `last_updated` (else `timestamp`), else the document's.
// - Statements with no vulnerability, no product or an unknown status are skipped with a
//   diagnostic; not_affected without justification or impact_statement and affected without
//   action_statement (both required by the spec) are kept, with a diagnostic.
#include "vuln/vex/internal.h"

namespace waybill::vuln::vexdetail {

namespace {

void add_identifier(VexEntry& e, const std::string& id) {
  if (id.empty()) return;
  if (id.rfind("pkg:", 0) == 0) {
    add_unique(e.purls, id);
  } else if (id.rfind("cpe:", 0) == 0) {
    add_unique(e.cpes, id);
  } else {
    add_unique(e.bom_refs, id);
  }
}

void add_product(VexEntry& e, const json& p) {
  if (p.is_string()) {
    add_identifier(e, p.get<std::string>());
    return;
  }
  if (!p.is_object()) return;
  add_identifier(e, jsonin::str(p, "@id"));
  const json& ids = jsonin::obj(p, "identifiers");
  add_unique(e.purls, jsonin::str(ids, "purl"));
  add_unique(e.cpes, jsonin::str(ids, "cpe23"));
  add_unique(e.cpes, jsonin::str(ids, "cpe22"));
}

}  // namespace

Status read_openvex(const json& root, VexDocument& doc) {
  doc.id = jsonin::str(root, "@id");
  doc.author = jsonin::str(root, "author");
  doc.timestamp = jsonin::str(root, "timestamp");
  if (doc.timestamp.empty()) doc.timestamp = jsonin::str(root, "last_updated");
  const json* statements = jsonin::member(root, "statements");
  if (!statements || !statements->is_array())
    return Error(Errc::corrupt, doc.path + ": OpenVEX document has no \"statements\" array");

  std::size_t index = 0;
  for (const json& s : *statements) {
    std::string where = "statements[" + std::to_string(index++) + "]";
    if (doc.entries.size() >= kMaxVexEntries) {
      warn(doc, where, "more than " + std::to_string(kMaxVexEntries) + " statements; rest ignored");
      break;
    }
    if (!s.is_object()) {
      warn(doc, where, "statement is not an object; skipped");
      continue;
    }
    VexEntry e;
    e.where = where;
    const json* v = jsonin::member(s, "vulnerability");
    if (v && v->is_string()) {
      e.id = v->get<std::string>();
    } else if (v && v->is_object()) {
      e.id = jsonin::str(*v, "name");
      std::string at_id = jsonin::str(*v, "@id");
      if (e.id.empty()) {
        e.id = at_id;
      } else if (at_id != e.id) {
        add_unique(e.aliases, at_id);
      }
      for (const json& a : jsonin::arr(*v, "aliases")) add_unique(e.aliases, jsonin::as_str(a));
    }
    if (e.id.empty()) {
      warn(doc, where, "statement has no vulnerability name; skipped");
      continue;
    }
    for (const json& p : jsonin::arr(s, "products")) {
      add_product(e, p);
      if (p.is_object())
        for (const json& sc : jsonin::arr(p, "subcomponents")) add_product(e, sc);
    }
    for (const json& sc : jsonin::arr(s, "subcomponents")) add_product(e, sc);  // v0.0.x
    if (e.purls.empty() && e.cpes.empty() && e.bom_refs.empty()) {
      warn(doc, where, "statement about " + e.id + " names no product; skipped");
      continue;
    }
    e.source_status = jsonin::str(s, "status");
    if (!is_openvex_status(e.source_status)) {
      warn(doc, where,
           "unknown status \"" + e.source_status + "\" for " + e.id + "; statement skipped");
      continue;
    }
    e.statement.status = e.source_status;
    e.source_justification = jsonin::str(s, "justification");
    if (!e.source_justification.empty()) {
      if (is_openvex_justification(e.source_justification)) {
        e.statement.justification = e.source_justification;
      } else {
        warn(doc, where, "unknown justification \"" + e.source_justification + "\" ignored");
      }
    }
    e.statement.impact = jsonin::str(s, "impact_statement");
    e.statement.action = jsonin::str(s, "action_statement");
    std::string notes = jsonin::str(s, "status_notes");
    if (!notes.empty() && e.statement.impact.empty() && e.statement.status == "not_affected")
      e.statement.impact = notes;
    if (e.statement.status == "not_affected" && e.statement.justification.empty() &&
        e.statement.impact.empty())
      warn(doc, where, "not_affected without justification or impact_statement (required)");
    if (e.statement.status == "affected" && e.statement.action.empty())
      warn(doc, where, "affected without action_statement (required)");
    e.timestamp = jsonin::str(s, "last_updated");
    if (e.timestamp.empty()) e.timestamp = jsonin::str(s, "timestamp");
    doc.entries.push_back(std::move(e));
  }
  return Status::success();
}

}  // namespace waybill::vuln::vexdetail
