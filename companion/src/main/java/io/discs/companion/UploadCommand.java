package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    description = {
      "Add a disc image (ISO 9660 or UDF) to the library; operators and admins only.",
      "Sent in chunks that survive dropped connections: an interrupted upload continues where it"
          + " stopped, by itself, or when the same command runs again."
    })
final class UploadCommand extends Subcommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "FILE", description = "The image file.")
  private Path file;

  @Option(names = "--name", description = "The name in the library (default: the file's name).")
  private String name;

  @Option(names = "--json", description = "Print only the resulting image, as JSON.")
  private boolean json;

  @Option(
      names = "--chunk-mib",
      defaultValue = "8",
      description = "MiB per request (1-256, default ${DEFAULT-VALUE}).")
  private int chunkMib;

  @Override
  public Integer call() {
    if (chunkMib < 1 || chunkMib > 256) {
      throw new CompanionException("--chunk-mib must be between 1 and 256", 2);
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new CompanionException("cannot read " + file + ": not a readable file", 2);
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new CompanionException("cannot read " + file + ": " + e.getMessage(), 2);
    }
    if (size == 0) {
      throw new CompanionException(file + " is empty", 2);
    }
    Credentials login = Credentials.load(companion().configDir());
    ApiClient api = companion().client();
    ResumeRecords resumes = new ResumeRecords(companion().configDir());
    UploadProgress progress =
        new UploadProgress(
            err(),
            json
                ? UploadProgress.Style.QUIET
                : System.console() != null
                    ? UploadProgress.Style.TERMINAL
                    : UploadProgress.Style.LINES,
            size,
            0);
    String imageName = name != null ? name : file.getFileName().toString();
    TusUpload.Sent sent;
    try {
      sent =
          new TusUpload(api, progress, chunkMib << 20)
              .send(
                  file,
                  imageName,
                  size,
                  resumes.find(login.server(), file),
                  url -> resumes.remember(login.server(), file, url));
    } catch (CompanionException e) {
      // A refusal ends this upload on the server; only an interruption is worth resuming.
      if (!e.isTransient() && e.exitCode() != 130) {
        resumes.forget(login.server(), file);
      }
      throw e;
    } finally {
      progress.done();
    }
    resumes.forget(login.server(), file);
    JsonNode image = api.get(ApiPaths.image(sent.imageId()));
    if (!sent.sha256().equals(image.path("sha256").asText())) {
      throw new CompanionException(
          "the server stored SHA-256 "
              + image.path("sha256").asText()
              + " but "
              + file
              + " hashes to "
              + sent.sha256());
    }
    if (json) {
      try {
        out().println(JSON.writeValueAsString(image));
      } catch (IOException e) {
        throw new CompanionException("cannot print the result: " + e.getMessage());
      }
    } else {
      out().printf("image   %s%n", Printable.of(image.path("id").asText()));
      out().printf("name    %s%n", Printable.of(image.path("name").asText()));
      out().printf("sha256  %s%n", Printable.of(image.path("sha256").asText()));
      out().printf("size    %s%n", UploadProgress.bytes(image.path("sizeBytes").asLong()));
    }
    if (!imageName.equals(image.path("name").asText())) {
      // The same bytes were in the library already: the server keeps them once, under that name.
      err()
          .println(
              "discs-companion: these bytes were stored already as '"
                  + Printable.of(image.path("name").asText())
                  + "'; the name '"
                  + Printable.of(imageName)
                  + "' was not used");
    }
    return 0;
  }
}
