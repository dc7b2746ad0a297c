// Sets up the process-wide spdlog logger: asynchronous, text or JSON lines on stdout.
#pragma once

#include "config/settings.hpp"

namespace traffic::config {

/// Installs an asynchronous stdout logger as spdlog's default, in `settings.log_style` and at
/// `settings.log_level`. A full log queue drops the oldest lines rather than block a caller.
/// Call once at start; call spdlog::shutdown() before exit to flush.
void setup_logging(const settings& s);

} // namespace traffic::config
