// The registers' tables, as migrations of storage module "domain.registers".
#pragma once

#include <string>
#include <vector>

#include "till/sdk/storage.hpp"

namespace till::domain::registers {

const std::vector<sdk::Migration>& register_migrations();

/// SQLite only: the triggers that make z reports refuse UPDATE and DELETE
/// (idempotent; run after the migrations, one statement per call).
const std::vector<std::string>& sqlite_immutability_statements();

}  // namespace till::domain::registers
