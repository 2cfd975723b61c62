// An ordered list of plugins of one family. Filled explicitly by a builtin.cpp per family
// (no static registrars); ids are unique and lowercase paths such as "squashfs" or "pkgdb/dpkg".
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace waybill {

struct Descriptor {
  std::string_view id;       // stable id, also the --select token and golden folder name
  std::string_view summary;  // one line for --list and docs
};

template <class Plugin>
class Registry {
 public:
  Status add(std::unique_ptr<Plugin> p) {
    std::string_view id = p->describe().id;
    if (find(id) != nullptr) {
      return Error(Errc::internal, "duplicate plugin id: " + std::string(id));
    }
    items_.push_back(std::move(p));
    return Status::success();
  }
  const Plugin* find(std::string_view id) const {
    for (const auto& p : items_)
      if (p->describe().id == id) return p.get();
    return nullptr;
  }
  std::span<const std::unique_ptr<Plugin>> all() const { return items_; }
  std::size_t size() const { return items_.size(); }

 private:
  std::vector<std::unique_ptr<Plugin>> items_;
};

}  // namespace waybill
