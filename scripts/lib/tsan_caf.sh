# shellcheck shell=bash
# Builds CAF's core library with ThreadSanitizer, for the TSan build of the server.
#
# Why: Debian's libcaf_core.so is not instrumented, so TSan cannot see the atomics and fences
# with which CAF hands a message from one thread's mailbox push to another thread's run of the
# actor. Every hand-off then looks like a race between the sender's and the receiver's code.
# Building the same CAF release with -fsanitize=thread makes those hand-offs visible, so no
# suppression is needed for them.
#
# The source is Debian's own upstream tarball of the installed libcaf-dev (0.17.6), fetched
# from the Debian archive and checked against the checksum in its .dsc. Only libcaf_core is
# built: the server does not use libcaf_io (whose 0.17.6 sources also need a Debian patch to
# compile with GCC 12). The headers it installs equal /usr/include/caf, minus caf/io.
#
# Needs common.sh (log_info, log_error) sourced first.

TRAFFIC_CAF_VERSION=0.17.6
TRAFFIC_CAF_TARBALL="actor-framework_${TRAFFIC_CAF_VERSION}.orig.tar.gz"
TRAFFIC_CAF_URL="http://deb.debian.org/debian/pool/main/a/actor-framework/${TRAFFIC_CAF_TARBALL}"
# From actor-framework_0.17.6-2.1.dsc (Checksums-Sha256).
TRAFFIC_CAF_SHA256=e2bf5bd243f08bb7d8adde197cfe3e6d71314ed3378fe0692f8932f4c3b3928c

# Installs a ThreadSanitizer build of libcaf_core into PREFIX (include/ and lib/), unless a
# previous call already did. Usage: build_tsan_caf PREFIX
build_tsan_caf() {
  local prefix="$1"
  local stamp="${prefix}/.traffic-tsan-caf-${TRAFFIC_CAF_VERSION}"
  if [[ -f ${stamp} ]]; then
    log_info "ThreadSanitizer CAF ${TRAFFIC_CAF_VERSION} is already in ${prefix}"
    return 0
  fi
  local work="${prefix}.work"
  rm -rf "${work}" "${prefix}"
  mkdir -p "${work}"

  log_info "fetching ${TRAFFIC_CAF_URL}"
  curl -fsSL --retry 3 -o "${work}/${TRAFFIC_CAF_TARBALL}" "${TRAFFIC_CAF_URL}" || return 1
  if ! echo "${TRAFFIC_CAF_SHA256}  ${work}/${TRAFFIC_CAF_TARBALL}" | sha256sum -c --quiet; then
    log_error "${TRAFFIC_CAF_TARBALL} does not match its Debian checksum"
    return 1
  fi
  tar -xzf "${work}/${TRAFFIC_CAF_TARBALL}" -C "${work}" || return 1

  log_info "building libcaf_core ${TRAFFIC_CAF_VERSION} with -fsanitize=thread (about 3 minutes)"
  # CAF's defaults give Debian's build_config.hpp: quiet logging, memory management and
  # exceptions on, no runtime checks (checked after the install).
  local -a launcher=()
  command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # -g1: line tables are all a race report needs, at about half the compile time of -g.
  cmake -S "${work}/actor-framework-${TRAFFIC_CAF_VERSION}" -B "${work}/build" -G Ninja \
    "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
    -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
    -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread \
    -DCMAKE_INSTALL_PREFIX="${prefix}" -DCMAKE_INSTALL_LIBDIR=lib \
    -DCAF_NO_IO=yes -DCAF_NO_EXAMPLES=yes -DCAF_NO_UNIT_TESTS=yes -DCAF_NO_TOOLS=yes \
    -DCAF_NO_OPENSSL=yes -DCAF_NO_OPENCL=yes -DCAF_NO_PYTHON=yes -DCAF_NO_SUMMARY=yes \
    >"${work}/configure.log" || {
    cat "${work}/configure.log" >&2
    return 1
  }
  # As build_project does: let ccache hit for clones in other folders.
  CCACHE_BASEDIR="${CCACHE_BASEDIR:-${TRAFFIC_ROOT}}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}" \
    cmake --build "${work}/build" -j"$(nproc)" || return 1
  cmake --install "${work}/build" >/dev/null || return 1
  # The server compiles against these headers but must behave as with Debian's library.
  if ! cmp -s "${prefix}/include/caf/detail/build_config.hpp" \
    /usr/include/caf/detail/build_config.hpp; then
    log_error "the ThreadSanitizer CAF's build_config.hpp differs from Debian's"
    return 1
  fi
  rm -rf "${work}"
  touch "${stamp}"
}
