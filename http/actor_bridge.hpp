// Asks an actor from outside the actor system without blocking the calling (I/O) thread.
#pragma once

#include <chrono>
#include <functional>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>

namespace traffic::http {

/// Sends `message...` to `target` as a request and calls `done` once with the reply, or with
/// the error (caf::sec::request_timeout after `timeout`). `done` runs on a CAF worker thread:
/// post to your own executor from it. A one-shot actor carries the request, so the caller
/// never waits.
template <class Reply, class... Ts>
void ask(caf::actor_system& system, const caf::actor& target, std::chrono::milliseconds timeout,
         std::function<void(caf::expected<Reply>)> done, Ts... message) {
  // The target travels as a spawn argument: CAF 0.17 dereferences a null argument tuple when a
  // function is spawned without arguments (UBSan reports it).
  system.spawn(
      [=](caf::event_based_actor* self, const caf::actor& to) {
        self->request(to, timeout, message...)
            .then([=](Reply& reply) { done(std::move(reply)); },
                  [=](caf::error& error) { done(std::move(error)); });
      },
      target);
}

} // namespace traffic::http
