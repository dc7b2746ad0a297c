// End-to-end test of group commit's failure isolation: when the database refuses one request's
// rows, the requests committed in the same transaction are written again alone and succeed.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/support/fixtures.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_database.hpp"

namespace {

using traffic::tests::expect_ack;
using traffic::tests::expect_error;
using traffic::tests::http_client;
using traffic::tests::http_response;
using traffic::tests::server_process;
using traffic::tests::simple_snapshot;
using traffic::tests::single_path;
using traffic::tests::stored_snapshots;
using traffic::tests::test_database;

constexpr int honest_clients = 8;

class BatchIsolation : public testing::Test {
 protected:
  void SetUp() override {
    // One writer and a long batch wait: every request sent at once lands in one transaction.
    server_ = std::make_unique<server_process>(
        db_.url(),
        traffic::tests::env_map{{"WRITER_POOL_SIZE", "1"}, {"WRITER_BATCH_DELAY_MS", "400"}});
    std::string error;
    ASSERT_TRUE(server_->start(&error)) << error;
    // A row the database itself refuses, as a constraint or a bug in our validation would.
    pqxx::connection conn{db_.url()};
    pqxx::work tx{conn};
    tx.exec(R"(
      CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.simulation_id = 'POISON' THEN
          RAISE EXCEPTION 'the test refuses simulation POISON';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON performance_metrics
        FOR EACH ROW EXECUTE FUNCTION refuse_poison();)");
    tx.commit();
  }

  test_database db_;
  std::unique_ptr<server_process> server_;
};

TEST_F(BatchIsolation, OneRefusedRequestFailsAloneAndTheOthersInItsBatchAreStored) {
  std::vector<http_response> answers(honest_clients + 1);
  std::vector<std::thread> clients;
  for (int c = 0; c <= honest_clients; ++c) {
    clients.emplace_back([&, c] {
      auto sim = c == honest_clients ? std::string{"POISON"} : "HONEST_" + std::to_string(c);
      http_client client{server_->port()};
      auto& answer = answers[static_cast<std::size_t>(c)];
      try {
        answer = client.post(single_path, simple_snapshot(sim, "INT_001", 0).dump());
      } catch (const traffic::tests::transport_error& e) {
        answer.body = e.what(); // status 0 fails the checks below, with the reason
      }
    });
  }
  for (auto& t : clients)
    t.join();

  for (int c = 0; c < honest_clients; ++c) {
    SCOPED_TRACE("client " + std::to_string(c));
    expect_ack(answers[static_cast<std::size_t>(c)], 201, 1, 0);
    EXPECT_EQ(stored_snapshots(db_.url(), "HONEST_" + std::to_string(c)), 1);
  }
  expect_error(answers[honest_clients], 500, "internal_error");
  EXPECT_EQ(stored_snapshots(db_.url(), "POISON"), 0);
  EXPECT_EQ(stored_snapshots(db_.url()), honest_clients);
  // The requests did share a refused transaction before they were written alone.
  EXPECT_NE(server_->stdout_text().find("writing its requests one by one"), std::string::npos)
      << server_->stdout_text();
}

} // namespace
