// Configuration of the document store, under [store]:
//   store.url           which backend and where: sqlite:///abs/path.db,
//                       sqlite://relative/path.db (from the working directory),
//                       mongodb://host:port/database?options,
//                       postgresql://host[:port][,host2[:port]]/database?options
//                       ("sqlite://var/famigo.db")
//   store.busy_timeout  SQLite: how long a writer waits for another's lock ("5s")
//   store.write_concern MongoDB: w of every write, "majority" or a number ("majority")
//   store.journal       MongoDB: writes wait for the journal (j) (true)
//   store.timeout       MongoDB: server selection, connect and socket timeout;
//                       PostgreSQL: connect and TCP user timeout ("10s")
#pragma once

#include "core/config.hpp"
#include "docstore/store.hpp"

namespace famigo::docstore {

void define_config(config::Schema& schema);
StoreOptions store_options(const config::Config& config);

}  // namespace famigo::docstore
