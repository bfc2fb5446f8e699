"""Drives a Herald server with boto3 over the whole SNS API and prints one JSON object:
each step's name mapped to {"ok": <parsed response>} or {"error": {"code", "status", "message"}}.

Usage: python3 boto3_suite.py ENDPOINT QUEUE_ARN [ACCESS_KEY SECRET]
"""

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, queue_arn = sys.argv[1], sys.argv[2]
key, secret = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("test", "test")
sns = boto3.client(
    "sns",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id=key,
    aws_secret_access_key=secret,
    config=Config(retries={"max_attempts": 1}),
)
results = {}


def step(name, call, **params):
    try:
        response = call(**params)
        response.pop("ResponseMetadata", None)
        results[name] = {"ok": response}
    except ClientError as error:
        results[name] = {
            "error": {
                "code": error.response["Error"]["Code"],
                "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                "message": error.response["Error"].get("Message", ""),
            }
        }
    return results[name].get("ok", {})


topic = step(
    "CreateTopic",
    sns.create_topic,
    Name="boto-orders",
    Attributes={"DisplayName": "Orders"},
    Tags=[{"Key": "team", "Value": "core"}],
)["TopicArn"]
fifo = step("CreateTopicFifo", sns.create_topic, Name="boto-orders.fifo", Attributes={"FifoTopic": "true"})
step("CreateTopicBadName", sns.create_topic, Name="bad name!")
step("SetTopicAttributes", sns.set_topic_attributes, TopicArn=topic, AttributeName="DisplayName", AttributeValue="Shown")
step("SetTopicAttributesUnknown", sns.set_topic_attributes, TopicArn=topic, AttributeName="Nope", AttributeValue="x")
step("SetKmsMasterKeyId", sns.set_topic_attributes, TopicArn=topic, AttributeName="KmsMasterKeyId", AttributeValue="alias/aws/sns")
step("GetTopicAttributes", sns.get_topic_attributes, TopicArn=topic)
step("GetTopicAttributesMissing", sns.get_topic_attributes, TopicArn=topic + "-missing")
step("ListTopics", sns.list_topics)

sub = step(
    "Subscribe",
    sns.subscribe,
    TopicArn=topic,
    Protocol="sqs",
    Endpoint=queue_arn,
    Attributes={"RawMessageDelivery": "true"},
    ReturnSubscriptionArn=True,
)["SubscriptionArn"]
step("SubscribeBadProtocol", sns.subscribe, TopicArn=topic, Protocol="carrier-pigeon", Endpoint="x")
step("ListSubscriptions", sns.list_subscriptions)
step("ListSubscriptionsByTopic", sns.list_subscriptions_by_topic, TopicArn=topic)
step(
    "SetSubscriptionAttributes",
    sns.set_subscription_attributes,
    SubscriptionArn=sub,
    AttributeName="FilterPolicy",
    AttributeValue=json.dumps({"kind": ["order"]}),
)
step("SetSubscriptionAttributesBadFilter", sns.set_subscription_attributes, SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue="{")
step("GetSubscriptionAttributes", sns.get_subscription_attributes, SubscriptionArn=sub)

step(
    "Publish",
    sns.publish,
    TopicArn=topic,
    Message="hello",
    Subject="Greeting",
    MessageAttributes={"kind": {"DataType": "String", "StringValue": "order"}},
)
step("PublishMissingTopic", sns.publish, TopicArn=topic + "-missing", Message="x")
step("PublishEmpty", sns.publish, TopicArn=topic, Message="")
step("PublishPhone", sns.publish, PhoneNumber="+15555550100", Message="x")
step(
    "PublishBatch",
    sns.publish_batch,
    TopicArn=topic,
    PublishBatchRequestEntries=[{"Id": "a", "Message": "one"}, {"Id": "b", "Message": "two"}],
)
step(
    "PublishBatchDuplicateIds",
    sns.publish_batch,
    TopicArn=topic,
    PublishBatchRequestEntries=[{"Id": "a", "Message": "one"}, {"Id": "a", "Message": "two"}],
)

step("TagResource", sns.tag_resource, ResourceArn=topic, Tags=[{"Key": "env", "Value": "test"}])
step(
    "TagResourceTooMany",
    sns.tag_resource,
    ResourceArn=topic,
    Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(51)],
)
step("UntagResource", sns.untag_resource, ResourceArn=topic, TagKeys=["team"])
step("ListTagsForResource", sns.list_tags_for_resource, ResourceArn=topic)
step("ListTagsForResourceMissing", sns.list_tags_for_resource, ResourceArn=topic + "-missing")

step("AddPermission", sns.add_permission, TopicArn=topic, Label="partner", AWSAccountId=["111111111111"], ActionName=["Publish", "Subscribe"])
step("AddPermissionDuplicate", sns.add_permission, TopicArn=topic, Label="partner", AWSAccountId=["111111111111"], ActionName=["Publish"])
step("PolicyAfterAdd", sns.get_topic_attributes, TopicArn=topic)
step("RemovePermission", sns.remove_permission, TopicArn=topic, Label="partner")

step("PutDataProtectionPolicy", sns.put_data_protection_policy, ResourceArn=topic, DataProtectionPolicy='{"Name":"p","Version":"2021-06-01","Statement":[]}')
step("GetDataProtectionPolicy", sns.get_data_protection_policy, ResourceArn=topic)

step("GetSMSAttributes", sns.get_sms_attributes)
step("CreatePlatformApplication", sns.create_platform_application, Name="app", Platform="GCM", Attributes={})
step("ListOriginationNumbers", sns.list_origination_numbers)

step("Unsubscribe", sns.unsubscribe, SubscriptionArn=sub)
step("DeleteTopic", sns.delete_topic, TopicArn=topic)
step("DeleteTopicAgain", sns.delete_topic, TopicArn=topic)

print(json.dumps(results, default=str))
