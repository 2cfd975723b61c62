// The merge step: turns what every cataloger reported into one list of components without
// duplicates.
//
// - Binary evidence (signatures, sonames) on a file that a package database owns is attached to
//   that package; a version that disagrees with the database becomes a note on the component.
// - Evidence outside any package is grouped into one component per (name, version).
// - Libraries found only by soname take the version of their project when the project was
//   found elsewhere in the same image (e.g. libip4tc next to iptables), marked as inferred.
// - Kernel reports (banner, module vermagic) become one kernel component.
#pragma once

#include <vector>

#include "catalog/cataloger.h"
#include "model/sbom.h"

namespace waybill::catalog {

struct MergeResult {
  std::vector<model::Component> components;
  std::vector<model::Relationship> relationships;  // depends-on between components
};

MergeResult merge_components(std::vector<model::Component> found, const FileIndex& index);

}  // namespace waybill::catalog
