//! Images named through a transport (`transport:reference`, containers-transports(5)): each
//! transport's references (`docker`, `containers-storage`, paths), the policy scopes an image
//! is looked up under, and the scope index that finds a policy's requirement list for an
//! image in constant time.

mod docker;
mod index;
mod named;
mod storage;
mod transport;

pub use docker::{DockerImage, DockerImageError, Namespace, Namespaces};
pub(crate) use index::TransportIndex;
pub use named::{Image, ImageError, ImageNamespaces};
pub use transport::Transport;
