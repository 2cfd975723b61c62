// Stage 2 of the pipeline: catalogers turn the file index into components.
//
// The walk (catalog/walker.h) visits every file once, computes hashes, ELF facts and signature
// hits, and keeps the contents of the files a cataloger `wants`. Catalogers then run once over
// the finished index; they never walk the tree or read files themselves.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "catalog/file_index.h"
#include "core/diagnostic.h"
#include "core/registry.h"
#include "model/component.h"

namespace waybill::catalog {

struct CatalogOutput {
  std::vector<model::Component> components;
  std::vector<model::OperatingSystem> operating_systems;
  Diagnostics diagnostics;
};

class Cataloger {
 public:
  virtual ~Cataloger() = default;
  virtual const Descriptor& describe() const = 0;
  // In-root path globs whose contents the walk must retain for this cataloger
  // (e.g. "/var/lib/dpkg/status", "/var/lib/dpkg/info/*.list").
  virtual std::span<const std::string_view> wants() const = 0;
  // Partial results are normal: components AND diagnostics may both be non-empty.
  virtual void catalog(const FileIndex& index, CatalogOutput& out) const = 0;
};

using CatalogerRegistry = Registry<Cataloger>;

// catalog/builtin.cpp: the one list of catalogers, in the order they run.
void register_builtin_catalogers(CatalogerRegistry& r);

}  // namespace waybill::catalog
