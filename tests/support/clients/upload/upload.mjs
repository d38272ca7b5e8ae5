// apollo-upload-client uploading a job photo, run by tests/shared/test_upload_clients.py:
//   node upload.mjs URL TOKEN JOB_ID FILE_PATH
// Sends addJobPhoto with the file as a GraphQL multipart request and prints the payload as
// JSON.
import { ApolloClient, InMemoryCache, gql } from "@apollo/client";
import UploadHttpLink from "apollo-upload-client/UploadHttpLink.mjs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";

const [url, token, jobId, path] = process.argv.slice(2);
const link = new UploadHttpLink({ uri: url, headers: { authorization: `Bearer ${token}` } });
const client = new ApolloClient({ link, cache: new InMemoryCache() });
const file = new File([await readFile(path)], basename(path), { type: "image/jpeg" });
const result = await client.mutate({
  mutation: gql`
    mutation UploadPhoto($input: AddJobPhotoInput!) {
      addJobPhoto(input: $input) {
        photo { id stage thumbnailUrl file { id sha256 size contentType originalName url } }
        errors { code field message }
      }
    }
  `,
  variables: { input: { jobId, stage: "QC", file, caption: "from apollo-upload-client" } },
});
console.log(JSON.stringify(result.data.addJobPhoto));
